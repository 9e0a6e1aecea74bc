using System.Globalization;
using System.Text;

namespace Pipeline.Records;

/// <summary>The audit trail as a plain-text table, oldest first, newest last (the line you look for is at the bottom).</summary>
public static class AuditTable
{
    private static readonly string[] Headers = ["When (UTC)", "Action", "Env", "Actor", "Digest", "Version", "Strategy", "Outcome", "Gates", "Approval / note"];

    public static string Render(IReadOnlyList<AuditEntry> entries)
    {
        if (entries.Count == 0) return "No deploys, promotions or rollbacks recorded yet.";
        var rows = entries.OrderBy(e => e.At).Select(e => new[]
        {
            e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Action, e.Environment, e.Actor,
            ShortDigest(e.ImageDigest), e.AppVersion ?? "-", e.Strategy, e.Outcome,
            e.Verdicts.Count == 0 ? "-" : string.Join(" ", e.Verdicts.Select(v => $"{v.Gate}:{v.Verdict.ToString().ToLowerInvariant()}")),
            string.Join("; ", new[] { e.Approval, e.Note }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } n ? n : "-",
        }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Line(Headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var r in rows) Line(r);
        return sb.ToString().TrimEnd();
    }

    /// <summary>sha256:0123456789ab… — twelve hex digits identify an image among a team's releases.</summary>
    public static string ShortDigest(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest;
}
