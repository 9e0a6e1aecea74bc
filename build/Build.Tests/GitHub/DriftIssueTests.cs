using System.Text.Json;
using Pipeline.GitHub;
using Pipeline.SingleHost;

namespace Pipeline.Tests.GitHub;

/// <summary>One drift issue per environment, opened / updated / closed through Octokit against a recording server.</summary>
public sealed class DriftIssueTests : IDisposable
{
    private readonly RecordingGitHub _gh = new();
    private static readonly DateTimeOffset At = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);
    private static readonly DriftReport Drift = new(12, ["terraform module.orders.kubectl_manifest.gateway: changed outside Terraform (yaml_incluster)"]);
    private static readonly DriftReport Clean = new(12, []);
    // Octokit's RepositoryIssueRequest always sends filter/sort/direction; GitHub's repository issues endpoint ignores filter.
    private const string List = "GET /api/v3/repos/acme/orders/issues?filter=assigned&state=open&labels=drift%3Aprod&sort=created&direction=desc";
    private static readonly string ExpectedBody = DriftIssue.Body("prod", Drift, At, "https://github.example/acme/orders/actions/runs/99");

    private static List<string> Properties(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }
    private const string Issue7 = """{"id":1007,"number":7,"title":"Drift detected in prod","state":"open","labels":[{"name":"drift:prod"}]}""";

    private (DriftIssueAction, int?) Reconcile(DriftReport report) =>
        new DriftIssue(_gh.Settings().Client(), _gh.Settings()).ReconcileAsync("prod", report, At).GetAwaiter().GetResult();

    [Fact]
    public void Drift_with_no_open_issue_opens_one_with_the_diff_and_the_label()
    {
        _gh.On("GET", "/repos/acme/orders/issues", "[]").On("POST", "/repos/acme/orders/issues", Issue7, 201);
        Assert.Equal((DriftIssueAction.Opened, 7), Reconcile(Drift));
        var calls = _gh.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(List, $"{calls[0].Method} {calls[0].Path}");
        Assert.Equal("POST", calls[1].Method);
        Assert.Equal("/api/v3/repos/acme/orders/issues", calls[1].Path);
        Assert.Equal(["title", "body", "assignees", "labels"], Properties(calls[1].Body));
        using var sent = JsonDocument.Parse(calls[1].Body);
        Assert.Equal("Drift detected in prod", sent.RootElement.GetProperty("title").GetString());
        Assert.Equal(ExpectedBody, sent.RootElement.GetProperty("body").GetString());
        Assert.Equal("drift:prod", sent.RootElement.GetProperty("labels").EnumerateArray().Single().GetString());
        Assert.Empty(sent.RootElement.GetProperty("assignees").EnumerateArray());
        Assert.Contains("changed outside Terraform (yaml_incluster)", ExpectedBody);
    }

    [Fact]
    public void Drift_with_an_open_issue_updates_its_body_and_opens_no_second_one()
    {
        _gh.On("GET", "/repos/acme/orders/issues", $"[{Issue7}]").On("PATCH", "/repos/acme/orders/issues/7", Issue7);
        Assert.Equal((DriftIssueAction.Updated, 7), Reconcile(Drift));
        var calls = _gh.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal("PATCH /api/v3/repos/acme/orders/issues/7", $"{calls[1].Method} {calls[1].Path}");
        // Octokit always sends the milestone; the issue's own is passed back so an update never clears it.
        Assert.Equal(["body", "milestone"], Properties(calls[1].Body));
        using var sent = JsonDocument.Parse(calls[1].Body);
        Assert.Equal(ExpectedBody, sent.RootElement.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, sent.RootElement.GetProperty("milestone").ValueKind);
        Assert.DoesNotContain(calls, c => c.Method == "POST");
    }

    [Fact]
    public void No_drift_closes_the_open_issue_with_a_comment()
    {
        _gh.On("GET", "/repos/acme/orders/issues", $"[{Issue7}]")
            .On("POST", "/repos/acme/orders/issues/7/comments", """{"id":5,"body":"x"}""", 201)
            .On("PATCH", "/repos/acme/orders/issues/7", Issue7.Replace("\"open\"", "\"closed\""));
        Assert.Equal((DriftIssueAction.Closed, 7), Reconcile(Clean));
        var calls = _gh.Calls;
        Assert.Equal(3, calls.Count);
        Assert.Equal("POST /api/v3/repos/acme/orders/issues/7/comments", $"{calls[1].Method} {calls[1].Path}");
        Assert.Equal("""{"body":"Drift cleared: 12 checks found no difference at 2026-12-06 18:00:00Z (https://github.example/acme/orders/actions/runs/99)."}""", calls[1].Body);
        Assert.Equal("PATCH /api/v3/repos/acme/orders/issues/7", $"{calls[2].Method} {calls[2].Path}");
        Assert.Equal("""{"milestone":null,"state":"closed"}""", calls[2].Body);
    }

    [Fact]
    public void No_drift_and_no_open_issue_only_looks()
    {
        _gh.On("GET", "/repos/acme/orders/issues", "[]");
        Assert.Equal((DriftIssueAction.None, null), Reconcile(Clean));
        Assert.Single(_gh.Calls);
    }

    [Fact]
    public void A_pull_request_carrying_the_label_is_not_the_issue()
    {
        const string pr = """{"id":2001,"number":3,"title":"fix drift","state":"open","pull_request":{"url":"https://x/pulls/3"}}""";
        _gh.On("GET", "/repos/acme/orders/issues", $"[{pr}]").On("POST", "/repos/acme/orders/issues", Issue7, 201);
        Assert.Equal((DriftIssueAction.Opened, 7), Reconcile(Drift));
        Assert.DoesNotContain(_gh.Calls, c => c.Path.Contains("/issues/3"));
    }

    public void Dispose() => _gh.Dispose();
}
