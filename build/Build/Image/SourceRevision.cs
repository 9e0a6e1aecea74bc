using Pipeline.Tools;

namespace Pipeline.Image;

/// <summary>
/// The commit the image is labelled with. Never a time: the label is part of the image config, so a
/// time would give every rebuild of the same commit a different digest.
/// </summary>
public static class SourceRevision
{
    public static string Read(BuildContext context)
    {
        if (context.Record.Revision is { Length: 40 } rev) return rev;
        // A git worktree has a .git *file*, which the record's reader does not follow; ask git.
        var r = context.Runner.Run(new ToolCommand("git", "rev-parse", "HEAD") { WorkingDirectory = context.Paths.RepoRoot }, allowFailure: true);
        return r.ExitCode == 0 && r.StandardOutput.Trim() is { Length: 40 } sha ? sha : "unknown";
    }

    /// <summary>org.opencontainers.image.source: the GitHub repository in Actions, else the origin remote, else "unknown".</summary>
    public static string SourceUrl(BuildPaths paths)
    {
        var server = System.Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var repo = System.Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
        if (!string.IsNullOrEmpty(server) && !string.IsNullOrEmpty(repo)) return $"{server}/{repo}";
        var config = Path.Combine(paths.RepoRoot, ".git", "config");
        if (File.Exists(config))
        {
            var inOrigin = false;
            foreach (var line in File.ReadLines(config).Select(l => l.Trim()))
            {
                if (line.StartsWith('[')) inOrigin = line == "[remote \"origin\"]";
                else if (inOrigin && line.StartsWith("url = ", StringComparison.Ordinal)) return line[6..];
            }
        }
        return "unknown";
    }
}
