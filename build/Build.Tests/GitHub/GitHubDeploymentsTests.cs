using Pipeline.GitHub;

namespace Pipeline.Tests.GitHub;

/// <summary>A release run's GitHub deployment and statuses, asserted call by call against a recording server.</summary>
public sealed class GitHubDeploymentsTests : IDisposable
{
    private readonly RecordingGitHub _gh = new();
    private const string Image = "registry.prod.orders.internal/orders-api@sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public void A_deploy_creates_a_deployment_then_in_progress_then_success()
    {
        _gh.On("POST", "/repos/acme/orders/deployments", """{"id":42,"environment":"prod"}""", 201)
           .On("POST", "/repos/acme/orders/deployments/42/statuses", """{"id":1,"state":"in_progress"}""", 201);
        var deployments = new GitHubDeployments(_gh.Settings().Client(), _gh.Settings());
        var id = deployments.StartAsync("prod", Image, "1.3.0").GetAwaiter().GetResult();
        deployments.FinishAsync(id, succeeded: true, "Release succeeded").GetAwaiter().GetResult();

        Assert.Equal(42, id);
        var calls = _gh.Calls;
        Assert.Equal(3, calls.Count);
        Assert.Equal("POST /api/v3/repos/acme/orders/deployments", $"{calls[0].Method} {calls[0].Path}");
        Assert.Equal($$"""{"ref":"abc123","task":"deploy","auto_merge":false,"required_contexts":[],"environment":"prod","description":"orders 1.3.0 {{Image}}","transient_environment":false,"production_environment":true}""",
            calls[0].Body);
        Assert.Equal("POST /api/v3/repos/acme/orders/deployments/42/statuses", $"{calls[1].Method} {calls[1].Path}");
        Assert.Equal("""{"state":"in_progress","log_url":"https://github.example/acme/orders/actions/runs/99","description":"deploying 1.3.0","auto_inactive":false}""", calls[1].Body);
        Assert.Equal("""{"state":"success","log_url":"https://github.example/acme/orders/actions/runs/99","description":"Release succeeded","auto_inactive":true}""", calls[2].Body);
    }

    [Fact]
    public void A_failed_run_records_failure_with_the_reason_cut_to_what_GitHub_accepts()
    {
        _gh.On("POST", "/repos/acme/orders/deployments/42/statuses", """{"id":2,"state":"failure"}""", 201);
        var reason = "Release failed: canary gate failed at 10 %: error rate 4.1 % vs 0.2 % (p=0.0001) " + new string('x', 200);
        new GitHubDeployments(_gh.Settings().Client(), _gh.Settings()).FinishAsync(42, succeeded: false, reason).GetAwaiter().GetResult();
        var call = Assert.Single(_gh.Calls);
        using var body = System.Text.Json.JsonDocument.Parse(call.Body);
        Assert.Equal("failure", body.RootElement.GetProperty("state").GetString());
        var description = body.RootElement.GetProperty("description").GetString()!;
        Assert.Equal(GitHubDeployments.MaxDescription, description.Length);
        Assert.StartsWith("Release failed: canary gate failed at 10 %", description);
    }

    public void Dispose() => _gh.Dispose();
}
