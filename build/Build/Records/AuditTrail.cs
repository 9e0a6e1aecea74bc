using System.Text.Json;

namespace Pipeline.Records;

/// <summary>One deploy, promote or rollback: who, when, where, which digest, how, what the gates said, how it ended.</summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Action,
    string Environment,
    string Actor,
    string ImageDigest,
    string Strategy,
    string Outcome,
    IReadOnlyList<GateVerdict> Verdicts,
    string? Approval = null,
    string? Note = null,
    string? AppVersion = null,
    string? Revision = null);

/// <summary>
/// Append-only JSON-lines file in the environment's state folder (outside the repository). Appends are
/// single writes under an exclusive file lock, so two processes cannot interleave half-lines.
/// </summary>
public sealed class AuditTrail(string path) : IAuditTrail
{
    public const string FileName = "audit.jsonl";
    public string Path { get; } = path;
    public string Where => Path;

    public static AuditTrail For(BuildContext context) => new(System.IO.Path.Combine(context.Paths.StateDir, FileName));

    /// <summary>An entry filled from the run: actor, environment, digest, strategy, approval and every gate verdict so far.</summary>
    public static AuditEntry EntryFor(BuildContext context, string action, string outcome, string? note = null)
    {
        var facts = context.Record.Facts;
        return new AuditEntry(DateTimeOffset.UtcNow, action, context.EnvironmentName, context.Actor,
            facts.GetValueOrDefault(FactKeys.ImageDigest, "unknown"), context.Config.Strategy.Kind.ToString().ToLowerInvariant(),
            outcome, context.Record.Verdicts.ToList(), facts.GetValueOrDefault(FactKeys.Approval),
            note ?? (facts.TryGetValue(FactKeys.WindowOverride, out var o) ? "change window overridden: " + o : null),
            facts.GetValueOrDefault(FactKeys.AppVersion), context.Record.Revision);
    }

    public void Append(AuditEntry entry)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var line = JsonSerializer.Serialize(entry, Compact) + "\n";
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.None);
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    public IReadOnlyList<AuditEntry> Read() =>
        File.Exists(Path)
            ? File.ReadLines(Path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<AuditEntry>(l, Compact)!).ToList()
            : [];

    /// <summary>One entry per line (the cluster's audit objects hold the same JSON).</summary>
    public static readonly JsonSerializerOptions Compact = new(RunRecord.Json) { WriteIndented = false };
}
