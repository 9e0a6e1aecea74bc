namespace Pipeline.Records;

/// <summary>The commit being built, read from .git without running git (works in a bare CI checkout too).</summary>
public static class GitRevision
{
    public static string Read(string repoRoot)
    {
        if (System.Environment.GetEnvironmentVariable(EnvVars.GitHubSha) is { Length: 40 } sha) return sha;
        try
        {
            var gitDir = Path.Combine(repoRoot, ".git");
            // A worktree's .git is a file "gitdir: <main>/.git/worktrees/<name>"; its refs live in the common dir.
            var commonDir = gitDir;
            if (File.Exists(gitDir))
            {
                gitDir = File.ReadAllText(gitDir).Trim()["gitdir: ".Length..];
                var common = Path.Combine(gitDir, "commondir");
                commonDir = File.Exists(common) ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(common).Trim())) : gitDir;
            }
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
            var refName = head[5..];
            var loose = Path.Combine(commonDir, refName);
            if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
            var packed = Path.Combine(commonDir, "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == refName)?[0] ?? "unknown"
                : "unknown";
        }
        catch (IOException) { return "unknown"; }
    }
}
