using Octokit;

namespace Pipeline.GitHub;

/// <summary>
/// Whether this workflow run's job in the protected environment was really approved, read from the API
/// (GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals) — not from a variable any workflow can set. A workflow
/// edited to drop `environment: prod` would otherwise deploy unreviewed while still claiming protection.
/// </summary>
public static class EnvironmentApproval
{
    public sealed record Result(bool Approved, string? Reviewer, string Detail);

    public static async Task<Result> ConfirmAsync(IGitHubClient client, GitHubSettings gh, string environment)
    {
        if (gh.RunId is not { } runId)
            return new Result(false, null, "GITHUB_RUN_ID is not set: cannot look up this run's approvals");
        var history = await client.Actions.Workflows.Runs.GetReviewHistory(gh.Owner, gh.Repository, runId);
        var forEnv = history.Where(h => h.Environments.Any(e => e.Name == environment)).ToList();
        var approved = forEnv.LastOrDefault(h => h.State.StringValue == "approved");
        if (approved is not null)
            return new Result(true, approved.User?.Login, $"approved by {approved.User?.Login ?? "?"} for '{environment}' in run {runId}");
        return new Result(false, null, forEnv.Count == 0
            ? $"run {runId} has no approval for environment '{environment}': run the job in the protected environment '{environment}'"
            : $"run {runId}'s review for '{environment}' is '{forEnv[^1].State.StringValue}', not approved");
    }
}
