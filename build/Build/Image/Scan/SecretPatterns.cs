using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Image.Scan;

public sealed record SecretPattern(string Name, Regex Regex);

/// <summary>Where a secret was found. Never carries the secret itself: evidence files are uploaded as CI artifacts.</summary>
public sealed record SecretFinding(string Where, string Pattern, long Offset, string Excerpt);

/// <summary>
/// Shapes of credentials that must never be in an image, and the environment's real secret values.
/// Patterns run over bytes decoded as Latin-1 (binary-safe: one char per byte, offsets are byte offsets).
/// </summary>
public sealed class SecretPatterns
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private static Regex R(string p) => new(p, RegexOptions.Compiled | RegexOptions.CultureInvariant, Limit);

    public static readonly IReadOnlyList<SecretPattern> Default =
    [
        new("private-key", R(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----")),
        new("aws-access-key-id", R(@"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])")),
        new("aws-secret-access-key", R(@"(?i)aws_?secret_?access_?key\s*[=:]\s*['""]?[A-Za-z0-9/+]{40}")),
        new("github-token", R(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})")),
        new("slack-token", R(@"xox[abposr]-[A-Za-z0-9-]{10,}")),
        new("jwt", R(@"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
        // Connection strings, env-style and JSON assignments with a literal value: Password=hunter2; PGPASSWORD=…; "password": "…"
        // A value made only of {placeholders}, $VARS or *** is a template, not a secret.
        new("password-assignment", R(@"(?i)(?<![A-Za-z])(?:password|passwd|pwd|pgpassword)['""]?\s*[=:]\s*['""]?(?![\s;'""]|\{|\$|\*{3}|<)[^\s;'""\x00,}]{4,}")),
    ];

    private readonly IReadOnlyList<SecretPattern> _patterns;
    private readonly IReadOnlyList<(string Name, string Latin1)> _values;

    /// <param name="secretValues">The environment's actual secret values (searched as UTF-8 and UTF-16LE bytes).</param>
    public SecretPatterns(IEnumerable<string> secretValues, IReadOnlyList<SecretPattern>? patterns = null)
    {
        _patterns = patterns ?? Default;
        _values = secretValues.Where(v => v.Length >= MinSecretLength).Distinct()
            .SelectMany((v, i) => new[]
            {
                ($"secret-value-{i}", Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(v))),
                ($"secret-value-{i}-utf16", Encoding.Latin1.GetString(Encoding.Unicode.GetBytes(v))),
            })
            .ToList();
    }

    /// <summary>Shorter values would match by chance in 60 MB of binaries; generated secrets are far longer.</summary>
    public const int MinSecretLength = 8;

    public IEnumerable<string> PatternNames => _patterns.Select(p => p.Name);
    public int SecretValueCount => _values.Count / 2;

    public IEnumerable<SecretFinding> Match(string where, string text)
    {
        foreach (var (name, value) in _values)
            for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
                yield return new SecretFinding(where, name, at, "<the value itself is not shown>");
        foreach (var p in _patterns)
            foreach (Match m in p.Regex.Matches(text))
                yield return new SecretFinding(where, p.Name, m.Index, Redact(m.Value));
    }

    public IEnumerable<SecretFinding> Match(string where, byte[] bytes) => Match(where, Encoding.Latin1.GetString(bytes));

    /// <summary>Enough to find the spot, not enough to use the credential.</summary>
    public static string Redact(string match)
    {
        var clean = new string(match.Select(c => c is < ' ' or > '~' ? '.' : c).ToArray());
        return clean.Length <= 12 ? clean[..Math.Min(4, clean.Length)] + "…" : clean[..10] + "…(" + clean.Length + " chars)";
    }
}
