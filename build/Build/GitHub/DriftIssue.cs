using Octokit;
using Pipeline.SingleHost;

namespace Pipeline.GitHub;

public enum DriftIssueAction { None, Opened, Updated, Closed }

/// <summary>
/// ONE open issue per environment while it drifts (label drift:&lt;env&gt;): opened with the diff, its body replaced
/// with the latest diff on every later check, closed with a comment when a check finds no drift. One issue, not one per
/// run: a scheduled check every six hours must not bury the on-call in duplicates of the same finding.
/// </summary>
public sealed class DriftIssue(IGitHubClient client, GitHubSettings gh)
{
    public static string Label(string environment) => $"drift:{environment}";
    public static string Title(string environment) => $"Drift detected in {environment}";

    public async Task<(DriftIssueAction Action, int? Number)> ReconcileAsync(string environment, DriftReport report, DateTimeOffset at)
    {
        var open = await client.Issue.GetAllForRepository(gh.Owner, gh.Repository,
            new RepositoryIssueRequest { State = ItemStateFilter.Open, Labels = { Label(environment) } });
        // The issues API lists pull requests too; the oldest open issue is the one (a second one is never created).
        var existing = open.Where(i => i.PullRequest is null).OrderBy(i => i.Number).FirstOrDefault();

        if (report.Differences.Count == 0)
        {
            if (existing is null) return (DriftIssueAction.None, null);
            await client.Issue.Comment.Create(gh.Owner, gh.Repository, existing.Number,
                $"Drift cleared: {report.Checks} checks found no difference at {at:u}{RunLink()}.");
            await client.Issue.Update(gh.Owner, gh.Repository, existing.Number, new IssueUpdate { State = ItemState.Closed, Milestone = existing.Milestone?.Number });
            return (DriftIssueAction.Closed, existing.Number);
        }

        var body = Body(environment, report, at, gh.RunUrl);
        if (existing is null)
        {
            var issue = new NewIssue(Title(environment)) { Body = body };
            issue.Labels.Add(Label(environment));
            var created = await client.Issue.Create(gh.Owner, gh.Repository, issue);
            return (DriftIssueAction.Opened, created.Number);
        }
        // Octokit always serializes the milestone: pass the issue's own back, or the update would clear it.
        await client.Issue.Update(gh.Owner, gh.Repository, existing.Number, new IssueUpdate { Body = body, Milestone = existing.Milestone?.Number });
        return (DriftIssueAction.Updated, existing.Number);
    }

    public static string Body(string environment, DriftReport report, DateTimeOffset at, string? runUrl) =>
        $"""
        `./build.sh --target=DriftCheck --env={environment}` found {report.Differences.Count} difference(s) between declared and running ({report.Checks} checks) at {at:u}.

        ```
        {report.Render()}
        ```

        Declared: terraform/envs/{environment}, build/environments/{environment}.yaml and the last release in the audit trail. Fix the running state (or the declaration) and this issue closes itself at the next check without drift.{(runUrl is null ? "" : $"\n\nRun: {runUrl}")}
        """;

    private string RunLink() => gh.RunUrl is { } u ? $" ({u})" : "";
}
