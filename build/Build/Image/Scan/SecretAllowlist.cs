namespace Pipeline.Image.Scan;

/// <summary>
/// Findings that are known not to be credentials, each with the reason. Keyed by exact path and pattern:
/// an allowlisted file still fails the scan for any other pattern or an environment secret value.
/// </summary>
public static class SecretAllowlist
{
    public sealed record Entry(string PathSuffix, string Pattern, string Why);

    public static readonly IReadOnlyList<Entry> Entries =
    [
    ];

    public static Entry? Find(SecretFinding f) =>
        f.Pattern.StartsWith("secret-value", StringComparison.Ordinal) ? null
            : Entries.FirstOrDefault(e => e.Pattern == f.Pattern && f.Where.EndsWith(e.PathSuffix, StringComparison.Ordinal));
}
