using Pipeline.Drill.Traffic;
using Pipeline.Records;

namespace Pipeline.Drill.Report;

/// <summary>
/// The drill's last step, in one call for the phases: stop the traffic, read every acknowledged write back (API and
/// PostgreSQL), read the ImageScan evidence, assemble the report and write artifacts/drill/. A verification that
/// cannot run (database gone) is a note and a failed drill, never a skipped check.
/// </summary>
public static class DrillFinish
{
    public static async Task<DrillReport> FinishAsync(DrillTraffic traffic, string environment, IReadOnlyList<PhaseResult> phases,
        IReadOnlyList<ReleaseEvent> events, Uri api, Func<string, string> sql, string artifactsDir, IReadOnlyList<string>? notes = null)
    {
        await traffic.StopAsync();
        var end = DateTimeOffset.UtcNow;
        var records = traffic.Records;
        var allNotes = (notes ?? []).Concat(traffic.SamplerErrors.Select(e => "readiness sampler: " + e)).ToList();
        WriteVerification? writes = null;
        try { writes = await WriteVerifier.VerifyAsync(records, api, sql); }
        catch (Exception e) { allNotes.Add($"Write verification failed to run: {e.Message.Split('\n')[0]}"); }
        var report = DrillReport.Build(environment, traffic.Load.RatePerSecond, traffic.Load.WriteRatio, traffic.StartedAt, end, records, phases, events,
            traffic.Readiness, traffic.Liveness, traffic.Steal, traffic.KeyCounts, writes, ScanEvidence.Read(Path.Combine(artifactsDir, "scan")), allNotes);
        ReportWriter.Write(artifactsDir, report, records);
        return report;
    }
}
