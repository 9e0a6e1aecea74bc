using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Records;

/// <summary>The machine-readable record of one pipeline run (artifacts/runs/*.json): what a workflow acts on.</summary>
public sealed class RunRecord
{
    public string Target { get; init; } = "";
    public string Environment { get; init; } = "";
    public bool DryRun { get; init; }
    public string Actor { get; init; } = "";
    public string Revision { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }
    public string Outcome { get; set; } = "running";
    public string? Error { get; set; }
    public List<TaskRecord> Tasks { get; } = [];
    public List<GateVerdict> Verdicts { get; } = [];
    /// <summary>Free-form facts tasks publish for later tasks and for people: image digest, SBOM path, …</summary>
    public SortedDictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);
    /// <summary>Timestamped release events (started, ready, joined LB, drained, weight changed, verdict).</summary>
    public List<ReleaseEvent> Events { get; } = [];
    /// <summary>Every external command of the run, in order, secrets masked (under --dryrun: the ones it would have run).</summary>
    public List<string> Commands { get; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record TaskRecord(string Name, double Seconds, string Outcome);

public enum Verdict { Pass, Warn, Fail, Inconclusive, Skipped }

/// <summary>One gate's judgement and the numbers behind it.</summary>
public sealed record GateVerdict(string Gate, Verdict Verdict, string Summary, IReadOnlyDictionary<string, double>? Figures = null)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

public sealed record ReleaseEvent(DateTimeOffset At, string Kind, string Subject, string? Detail = null);
