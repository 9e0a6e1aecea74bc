using Pipeline.Drill.Traffic;

namespace Pipeline.Drill.Report;

/// <summary>The figures a reader looks at first: the whole drill's failures, tail, lost and duplicated writes, phases passed.</summary>
public sealed record Headline(long Requests, long Failed, double P50Ms, double P99Ms, int? AcknowledgedMissing, int? Duplicates,
    int PhasesPassed, int Phases, bool Passed);

/// <summary>
/// Everything the drill saw (artifacts/drill/report.json; report.html and timeline.png are rendered from it). The
/// individual requests go beside it in requests.jsonl: at 200 req/s a 30-minute drill is 360,000 of them, and the
/// report keeps every failed one.
/// </summary>
public sealed record DrillReport(
    string Environment, DateTimeOffset StartedAt, DateTimeOffset EndedAt, double RatePerSecond, double WriteRatio,
    Headline Headline,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<DrillSecond> Seconds,
    IReadOnlyList<Marker> Markers,
    IReadOnlyList<ReadinessTransition> Readiness,
    IReadOnlyList<ReadinessTransition> Liveness,
    IReadOnlyList<StealSample> Steal,
    IReadOnlyList<KeyCountSample> IdempotencyKeys,
    WriteVerification? Writes,
    ScanEvidence? Scan,
    IReadOnlyList<RequestRecord> FailedRequests,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Assembles the report (pure). The drill passes when every phase met its target (a contrast run's target is to
    /// show its outage), no acknowledged write is missing and none is duplicated.
    /// </summary>
    public static DrillReport Build(string environment, double rate, double writeRatio, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyList<RequestRecord> records, IReadOnlyList<PhaseResult> phases, IReadOnlyList<Records.ReleaseEvent> events,
        IReadOnlyList<ReadinessTransition> readiness, IReadOnlyList<ReadinessTransition> liveness, IReadOnlyList<StealSample> steal,
        IReadOnlyList<KeyCountSample> keys, WriteVerification? writes, ScanEvidence? scan, IReadOnlyList<string>? notes = null)
    {
        var answered = records.Where(r => !r.Failed).Select(r => r.LatencyMs).Order().ToList();
        var passed = phases.Count(p => p.Passed);
        var ok = passed == phases.Count && writes is { Passed: true };
        var headline = new Headline(records.Count, records.Count(r => r.Failed),
            Math.Round(SingleHost.Traffic.LoadSchedule.Percentile(answered, 50), 2), Math.Round(SingleHost.Traffic.LoadSchedule.Percentile(answered, 99), 2),
            writes?.AcknowledgedMissing, writes?.Duplicates, passed, phases.Count, ok);
        var allNotes = (notes ?? []).ToList();
        if (writes is null) allNotes.Add("Writes were not verified: the drill counts as failed without that check.");
        if (scan is null) allNotes.Add("No ImageScan evidence in artifacts/scan/: run ImageScan (part of Release) first; nothing is claimed about the image.");
        return new DrillReport(environment, start, end, rate, writeRatio, headline, phases, DrillSecond.From(records, steal, start),
            Marker.From(phases, events.Where(e => e.At >= start && e.At <= end).ToList()), readiness, liveness, steal, keys, writes, scan,
            [.. records.Where(r => r.Failed)], allNotes);
    }
}
