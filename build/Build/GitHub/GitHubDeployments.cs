using System.Collections.ObjectModel;
using Octokit;

namespace Pipeline.GitHub;

/// <summary>
/// A GitHub deployment per release run and its statuses (in_progress when the deploy starts, then success or failure
/// with the outcome), so the repository's Environments page shows what the audit trail says: which digest went where,
/// when, and whether it stayed. The audit trail remains the record; this is its mirror where people look.
/// </summary>
public sealed class GitHubDeployments(IGitHubClient client, GitHubSettings gh)
{
    /// <summary>GitHub rejects a status description over 140 characters.</summary>
    public const int MaxDescription = 140;

    public async Task<long> StartAsync(string environment, string image, string? version)
    {
        var deployment = await client.Repository.Deployment.Create(gh.Owner, gh.Repository, new NewDeployment(gh.Sha ?? "HEAD")
        {
            Environment = environment,
            Task = "deploy",
            Description = Short($"orders {version ?? "?"} {image}"),
            // The pipeline already gated this commit (tests, scan, approval); GitHub's own commit-status check is not a second gate.
            AutoMerge = false,
            RequiredContexts = new Collection<string>(),
            ProductionEnvironment = environment == "prod",
            TransientEnvironment = false,
        });
        await Status(deployment.Id, DeploymentState.InProgress, $"deploying {version ?? image}");
        return deployment.Id;
    }

    public Task FinishAsync(long deploymentId, bool succeeded, string description) =>
        Status(deploymentId, succeeded ? DeploymentState.Success : DeploymentState.Failure, description);

    private Task Status(long id, DeploymentState state, string description) =>
        client.Repository.Deployment.Status.Create(gh.Owner, gh.Repository, id, new NewDeploymentStatus(state)
        {
            Description = Short(description),
            LogUrl = gh.RunUrl,
            // A new success marks the environment's previous deployments inactive: one "active" digest per environment.
            AutoInactive = state == DeploymentState.Success,
        });

    public static string Short(string s) => s.Length <= MaxDescription ? s : s[..(MaxDescription - 1)] + "…";
}
