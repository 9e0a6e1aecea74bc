using System.Globalization;
using Cake.Core.Diagnostics;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.GitHub;

/// <summary>
/// Where tasks meet GitHub (only in Actions: <see cref="BuildContext.GitHub"/> is null elsewhere). Reporting is a mirror:
/// a GitHub outage logs a warning and never changes a release's or a drift check's outcome. The approval check is
/// the exception — it fails closed, because an approval nobody can confirm is not an approval.
/// </summary>
public static class GitHubReporting
{
    public const string DeploymentFact = "github.deployment";
    public const string DriftIssueFact = "github.driftIssue";

    public static void DriftChecked(BuildContext context, DriftReport report)
    {
        if (context.GitHub is not { } gh || context.DryRun) return;
        Mirror(context, "drift issue", () =>
        {
            var (action, number) = new DriftIssue(gh.Client(), gh).ReconcileAsync(context.EnvironmentName, report, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
            if (action == DriftIssueAction.None) return;
            context.Record.Facts[DriftIssueFact] = $"{action.ToString().ToLowerInvariant()} #{number}";
            context.Log.Information("GitHub: drift issue #{0} {1}.", number, action.ToString().ToLowerInvariant());
        });
    }

    public static void DeploymentStarted(BuildContext context, string image)
    {
        if (context.GitHub is not { } gh || context.DryRun) return;
        Mirror(context, "deployment", () =>
        {
            var id = new GitHubDeployments(gh.Client(), gh).StartAsync(context.EnvironmentName, image, context.Record.Facts.GetValueOrDefault(FactKeys.AppVersion)).GetAwaiter().GetResult();
            context.Record.Facts[DeploymentFact] = id.ToString(CultureInfo.InvariantCulture);
        });
    }

    /// <summary>The run's end: success only if the whole run succeeded (a promoted canary), else failure with the error.</summary>
    public static void DeploymentFinished(BuildContext context, bool succeeded, Exception? error)
    {
        if (context.GitHub is not { } gh || !context.Record.Facts.TryGetValue(DeploymentFact, out var id)) return;
        var description = succeeded ? $"{context.Record.Target} succeeded" : $"{context.Record.Target} failed: {error?.Message.Split('\n')[0]}";
        Mirror(context, "deployment status", () =>
            new GitHubDeployments(gh.Client(), gh).FinishAsync(long.Parse(id, CultureInfo.InvariantCulture), succeeded, description).GetAwaiter().GetResult());
    }

    public static EnvironmentApproval.Result ConfirmApproval(BuildContext context)
    {
        if (context.GitHub is not { } gh)
            return new EnvironmentApproval.Result(false, null, $"{GitHubSettings.TokenVariable} and {GitHubSettings.RepositoryVariable} are needed to confirm the approval through the API (give the job `permissions: actions: read`)");
        try { return EnvironmentApproval.ConfirmAsync(gh.Client(), gh, context.EnvironmentName).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is Octokit.ApiException or HttpRequestException or TaskCanceledException)
        {
            return new EnvironmentApproval.Result(false, null, $"the approvals of this run could not be read ({e.Message})");
        }
    }

    private static void Mirror(BuildContext context, string what, Action call)
    {
        try { call(); }
        catch (Exception e) when (e is Octokit.ApiException or HttpRequestException or TaskCanceledException)
        {
            context.Log.Warning("GitHub {0} not recorded: {1}", what, e.Message);
            context.Record.Facts[$"github.error.{what.Replace(' ', '-')}"] = e.Message;
        }
    }
}
