using Pipeline.GitHub;

namespace Pipeline;

public sealed partial class BuildContext
{
    private GitHubSettings? _gitHub;
    private bool _gitHubRead;

    /// <summary>The repository this run reports to (drift issue, deployments, approval check); null outside GitHub Actions.</summary>
    public GitHubSettings? GitHub
    {
        get
        {
            if (_gitHubRead) return _gitHub;
            _gitHubRead = true;
            return _gitHub = InGitHubActions ? GitHubSettings.FromEnvironment(System.Environment.GetEnvironmentVariable) : null;
        }
    }
}
