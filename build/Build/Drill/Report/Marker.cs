using Pipeline.Records;

namespace Pipeline.Drill.Report;

/// <summary>A moment drawn across the timeline: a phase start, a cutover, a weight change, a gate verdict, a rollback.</summary>
public sealed record Marker(DateTimeOffset At, string Kind, string Label)
{
    public const string Phase = "phase";
    public const string Cutover = "cutover";
    public const string Weight = "weight";
    public const string Gate = "gate";
    public const string Rollback = "rollback";

    /// <summary>
    /// Markers from the drill's phases and the run record's release events (pure). Events that say nothing about
    /// traffic (started, warmed, flags-written…) are left out: the timeline shows what moved requests.
    /// </summary>
    public static IReadOnlyList<Marker> From(IReadOnlyList<PhaseResult> phases, IReadOnlyList<ReleaseEvent> events)
    {
        var markers = phases.Select(p => new Marker(p.Start, Phase, p.Contrast ? $"{p.Name} (contrast)" : p.Name)).ToList();
        foreach (var e in events)
        {
            var kind = KindOf(e);
            if (kind is not null) markers.Add(new Marker(e.At, kind, $"{e.Kind} {e.Subject}{(e.Detail is null ? "" : ": " + e.Detail)}"));
        }
        return [.. markers.OrderBy(m => m.At)];
    }

    public static string? KindOf(ReleaseEvent e) => e.Kind switch
    {
        "rolled-back-traffic" or "rollback" => Rollback,
        "weight-changed" when e.Detail?.Contains("rollback", StringComparison.OrdinalIgnoreCase) == true => Rollback,
        "weight-changed" => Weight,
        "verdict" => Gate,
        "stable" => Cutover,
        _ => null,
    };
}
