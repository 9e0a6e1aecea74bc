using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>The canary gate's judgement for one weight step, with every number behind it (for the run record and the audit trail).</summary>
public sealed record CanaryVerdict(
    Verdict Verdict,
    int StepWeight,
    string Summary,
    IReadOnlyList<string> Reasons,
    IReadOnlyDictionary<string, double> Figures,
    DateTimeOffset At)
{
    /// <summary>The PromQL that produced the figures (empty when the judgement did not get that far).</summary>
    public IReadOnlyDictionary<string, string> Queries { get; init; } = new Dictionary<string, string>();

    public string Gate => $"canary-{StepWeight}";

    /// <summary>Only finite figures: JSON has no NaN, and a missing figure is more honest than a made-up one.</summary>
    public GateVerdict ToGateVerdict() =>
        new(Gate, Verdict, Summary, Figures.Where(f => double.IsFinite(f.Value)).ToDictionary(f => f.Key, f => f.Value)) { At = At };
}
