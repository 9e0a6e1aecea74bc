namespace Pipeline;

/// <summary>Every path the pipeline uses, in one place (no magic strings in tasks).</summary>
public sealed record BuildPaths(string RepoRoot, string Artifacts, string StateDir)
{
    public string Environments => Path.Combine(RepoRoot, "build", "environments");
    public string AppProject => Path.Combine(RepoRoot, "app", "Orders.Api", "Orders.Api.csproj");
    public string AppTestsProject => Path.Combine(RepoRoot, "app", "Orders.Api.Tests", "Orders.Api.Tests.csproj");
    public string BuildTestsProject => Path.Combine(RepoRoot, "build", "Build.Tests", "Build.Tests.csproj");
    public string Solution => Path.Combine(RepoRoot, "Release.slnx");
    public string TestResults => Path.Combine(Artifacts, "test-results");
    public string Runs => Path.Combine(Artifacts, "runs");
    /// <summary>Tools the pipeline provisions itself (helm, kubectl), pinned and checksummed.</summary>
    public string ToolsDir => Path.Combine(RepoRoot, ".tools", "bin");

    public static BuildPaths Discover(string environmentName)
    {
        var root = FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Cannot find the repository root (a folder with global.json and build.sh).");
        // State (generated secrets, audit trail, locks) lives outside the repository, so nothing
        // secret can be committed and a clean clone never inherits another machine's state.
        var stateRoot = System.Environment.GetEnvironmentVariable(EnvVars.StateDir) is { Length: > 0 } s ? s
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local", "state", "orders-release");
        // Tests point artifacts at a temp dir so they never overwrite a real run's artifacts/image.json etc.
        var artifacts = System.Environment.GetEnvironmentVariable(EnvVars.ArtifactsDir) is { Length: > 0 } a ? a : Path.Combine(root, "artifacts");
        return new BuildPaths(root, artifacts, Path.Combine(stateRoot, environmentName));
    }

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && File.Exists(Path.Combine(dir.FullName, "build.sh")))
                return dir.FullName;
        return null;
    }
}

/// <summary>Environment variables the pipeline reads.</summary>
public static class EnvVars
{
    public const string StateDir = "RELEASE_STATE_DIR";
    public const string ArtifactsDir = "RELEASE_ARTIFACTS_DIR";
    public const string GitHubActions = "GITHUB_ACTIONS";
    public const string GitHubActor = "GITHUB_ACTOR";
    public const string GitHubSha = "GITHUB_SHA";
}

/// <summary>Command-line argument names.</summary>
public static class Args
{
    public const string Env = "env";
    public const string DryRun = "dryrun";
    public const string Approve = "approve";
    public const string ApprovedBy = "approved-by";
    public const string OverrideWindow = "override-window";
    public const string AppRelease = "app-release";
    /// <summary>--confirm=&lt;env&gt;: Reset's explicit confirmation (the environment's name, typed out).</summary>
    public const string Confirm = "confirm";
    /// <summary>--phases=2,3,4: a partial ReleaseDrill (baseline + the named phases, in the drill's order).</summary>
    public const string Phases = "phases";
}
