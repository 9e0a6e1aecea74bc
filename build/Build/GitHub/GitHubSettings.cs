using Octokit;

namespace Pipeline.GitHub;

/// <summary>
/// The repository the run belongs to, from the variables GitHub Actions sets. Present only in Actions (GITHUB_TOKEN
/// and GITHUB_REPOSITORY): on a laptop every GitHub call is off and the audit trail is the only record.
/// </summary>
public sealed record GitHubSettings(string Token, string Owner, string Repository, Uri ApiUrl, long? RunId, string? Sha, string ServerUrl)
{
    public const string TokenVariable = "GITHUB_TOKEN";
    public const string RepositoryVariable = "GITHUB_REPOSITORY";

    public static GitHubSettings? FromEnvironment(Func<string, string?> env)
    {
        if (env(TokenVariable) is not { Length: > 0 } token || env(RepositoryVariable) is not { Length: > 0 } repository) return null;
        var parts = repository.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            throw new ArgumentException($"{RepositoryVariable} must be owner/name, got '{repository}'.");
        var api = env("GITHUB_API_URL") is { Length: > 0 } a ? a : "https://api.github.com";
        if (!Uri.TryCreate(api, UriKind.Absolute, out var apiUrl))
            throw new ArgumentException($"GITHUB_API_URL is not an absolute URL: '{api}'.");
        return new GitHubSettings(token, parts[0], parts[1], apiUrl,
            long.TryParse(env("GITHUB_RUN_ID"), out var run) ? run : null,
            env("GITHUB_SHA") is { Length: > 0 } sha ? sha : null,
            env("GITHUB_SERVER_URL") is { Length: > 0 } s ? s : "https://github.com");
    }

    /// <summary>The run's page: where a drift issue and a deployment status point a reader.</summary>
    public string? RunUrl => RunId is { } id ? $"{ServerUrl.TrimEnd('/')}/{Owner}/{Repository}/actions/runs/{id}" : null;

    /// <summary>
    /// Octokit against <see cref="ApiUrl"/>. Note Octokit's rule: any host other than api.github.com is treated as
    /// GitHub Enterprise Server and gets "api/v3/" appended (the local test server answers there).
    /// </summary>
    public IGitHubClient Client() =>
        new GitHubClient(new ProductHeaderValue("orders-release"), ApiUrl) { Credentials = new Credentials(Token) };
}
