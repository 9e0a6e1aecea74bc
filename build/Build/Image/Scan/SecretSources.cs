namespace Pipeline.Image.Scan;

/// <summary>
/// Where the environment's real secret values live (outside the repository, in its state dir). The scan
/// searches images for these exact values: a pattern cannot recognise a random password, but equality can.
/// </summary>
public static class SecretSources
{
    /// <summary>Every file directly in these state-dir folders is a secret (the single-host DB password lives in secrets/).</summary>
    public static readonly IReadOnlyList<string> Directories = ["secrets"];

    public static IReadOnlyList<(string File, string Value)> Read(BuildPaths paths) =>
        Directories.Select(d => Path.Combine(paths.StateDir, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal))
            .Select(f => (f, File.ReadAllText(f).Trim()))
            .Where(x => x.Item2.Length > 0)
            .ToList();
}
