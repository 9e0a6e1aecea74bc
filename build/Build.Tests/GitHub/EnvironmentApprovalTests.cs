using Pipeline.GitHub;

namespace Pipeline.Tests.GitHub;

/// <summary>The approval gate in Actions asks the API whether this run's environment was approved.</summary>
public sealed class EnvironmentApprovalTests : IDisposable
{
    private readonly RecordingGitHub _gh = new();

    private static string Review(string state, string env, string login) =>
        $$$"""{"state":"{{{state}}}","comment":"ok","environments":[{"id":1,"name":"{{{env}}}"}],"user":{"login":"{{{login}}}","id":7}}""";

    private EnvironmentApproval.Result Confirm(long? runId = 99) =>
        EnvironmentApproval.ConfirmAsync(_gh.Settings(runId).Client(), _gh.Settings(runId), "prod").GetAwaiter().GetResult();

    [Fact]
    public void Approved_for_this_environment_in_this_run_names_the_reviewer()
    {
        _gh.On("GET", "/repos/acme/orders/actions/runs/99/approvals", $"[{Review("approved", "prod", "alice")}]");
        var r = Confirm();
        Assert.True(r.Approved);
        Assert.Equal("alice", r.Reviewer);
        Assert.Equal("GET /api/v3/repos/acme/orders/actions/runs/99/approvals", $"{_gh.Calls.Single().Method} {_gh.Calls.Single().Path}");
    }

    [Fact]
    public void An_approval_of_another_environment_is_not_one()
    {
        _gh.On("GET", "/repos/acme/orders/actions/runs/99/approvals", $"[{Review("approved", "staging", "bob")}]");
        var r = Confirm();
        Assert.False(r.Approved);
        Assert.Contains("no approval for environment 'prod'", r.Detail);
    }

    [Fact]
    public void A_rejection_is_not_an_approval()
    {
        _gh.On("GET", "/repos/acme/orders/actions/runs/99/approvals", $"[{Review("rejected", "prod", "carol")}]");
        var r = Confirm();
        Assert.False(r.Approved);
        Assert.Contains("'rejected', not approved", r.Detail);
    }

    [Fact]
    public void Without_a_run_id_nothing_can_be_confirmed_and_nothing_is_asked()
    {
        Assert.False(Confirm(runId: null).Approved);
        Assert.Empty(_gh.Calls);
    }

    public void Dispose() => _gh.Dispose();
}
