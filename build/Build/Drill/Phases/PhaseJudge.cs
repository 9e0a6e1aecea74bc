using System.Globalization;

namespace Pipeline.Drill.Phases;

/// <summary>
/// The drill's targets (issue 10) as pure functions of the recorded requests: each returns a
/// <see cref="PhaseResult"/> with the figure it was judged on, so the report shows why a phase passed or failed.
/// Kept free of I/O so every threshold is unit-tested on hand-built records.
/// </summary>
public static class PhaseJudge
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Release phases: not a single failed request (5xx or transport error) in the window.</summary>
    public static PhaseResult ZeroFailures(string name, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<RequestRecord> records, string? note = null)
    {
        var failed = records.Count(r => r.Failed);
        var passed = failed == 0 && records.Count > 0;
        var figure = records.Count == 0 ? "no requests recorded (no traffic: nothing was proven)" : $"{records.Count} requests, {failed} failed{Breakdown(records)}";
        return new PhaseResult(name, false, start, end, "0 failed requests", passed, figure, note);
    }

    /// <summary>
    /// Bad or slow canary: rolled back automatically, the canary's last answer within 30 s of its first, and the
    /// failures bounded by the canary's share: every failed request is one the canary answered (none on stable, no
    /// transport error). A canary stopped by the smoke test before any user request fails the phase: the gate was not proven.
    /// </summary>
    public static PhaseResult RolledBackInTime(string name, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<RequestRecord> records,
        string canaryVersion, bool rolledBack)
    {
        const string target = "automatic rollback; all traffic on stable within 30 s of the canary's first request; failures only within the canary's share";
        var canary = records.Where(r => r.Version == canaryVersion).ToList();
        var failed = records.Where(r => r.Failed).ToList();
        var notCanary = failed.Count(r => r.Version != canaryVersion);
        // The drill's faults start after the warm-up and smoke requests (ORDERS_FAULT_AFTER_REQUESTS) so that the
        // canary gate is what is proven; a canary stopped before users is a drill that proved nothing about the gate.
        if (canary.Count == 0)
            return new PhaseResult(name, false, start, end, target, false,
                $"{(rolledBack ? "rolled back" : "NOT rolled back")} before the canary answered any user request (smoke test): the gate was never exercised; {failed.Count} failed");
        var first = canary.Min(r => r.ScheduledAt);
        var last = canary.Max(r => r.ScheduledAt);
        var seconds = (last - first).TotalSeconds;
        var passed = rolledBack && seconds <= 30 && notCanary == 0;
        var share = records.Count(r => r.ScheduledAt >= first && r.ScheduledAt <= last) is var n and > 0 ? (double)canary.Count / n : 0;
        var figure = string.Create(Inv, $"canary {canaryVersion} served for {seconds:0.0} s ({canary.Count} answers, {share:P0} of the traffic then); {failed.Count} failed, {notCanary} of them outside the canary; {(rolledBack ? "rolled back" : "NOT rolled back")}");
        return new PhaseResult(name, false, start, end, target, passed, figure);
    }

    /// <summary>
    /// SIGKILL: failures limited to the requests in flight on the killed instance at the kill, and none sent more
    /// than 2 s after it (by then the LB must have stopped routing there).
    /// </summary>
    public static PhaseResult KillContained(string name, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<RequestRecord> records,
        DateTimeOffset killedAt, int inFlightAtKill)
    {
        var failures = records.Where(r => r.Failed).ToList();
        var late = failures.Where(r => r.ScheduledAt > killedAt + TimeSpan.FromSeconds(2)).ToList();
        var passed = failures.Count <= inFlightAtKill && late.Count == 0;
        var figure = $"{failures.Count} failed (in flight on the killed instance: {inFlightAtKill}); {late.Count} failed later than 2 s after the kill";
        return new PhaseResult(name, false, start, end, "failures ≤ in-flight on the killed instance; LB stops routing to it within 2 s", passed, figure);
    }

    /// <summary>Database outage: no container replaced or restarted; every request sent 5 s after the database returned succeeded.</summary>
    public static PhaseResult OutageRecovered(string name, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<RequestRecord> records,
        DateTimeOffset databaseBackAt, bool containersUnchanged, bool readinessRedEverywhere, bool livenessGreen)
    {
        var after = records.Where(r => r.ScheduledAt >= databaseBackAt + TimeSpan.FromSeconds(5)).ToList();
        var lateFailures = after.Count(r => r.Failed);
        var firstOk = records.Where(r => r.ScheduledAt >= databaseBackAt && !r.Failed).Select(r => (DateTimeOffset?)r.ScheduledAt).Min();
        var servedAgain = firstOk is { } t ? (t - databaseBackAt).TotalSeconds : double.NaN;
        var passed = containersUnchanged && readinessRedEverywhere && livenessGreen && lateFailures == 0 && after.Count > 0;
        var figure = string.Create(Inv, $"served again {servedAgain:0.0} s after the database returned; {lateFailures} failed after +5 s; containers {(containersUnchanged ? "unchanged" : "CHANGED")}; readiness {(readinessRedEverywhere ? "red everywhere" : "NOT red everywhere")}; liveness {(livenessGreen ? "green" : "RED")}");
        return new PhaseResult(name, false, start, end, "readiness red, liveness green, no restart, served again within 5 s of the database's return", passed, figure);
    }

    /// <summary>
    /// A seam-break contrast run passes when it SHOWS the outage the seam prevents: failed requests, or a p99 spike
    /// beyond the cutover limit (<see cref="Report.CutoverWindowRule.Limit"/>) against the window before. One that shows nothing fails.
    /// </summary>
    public static PhaseResult ContrastShowsOutage(string name, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<RequestRecord> before,
        IReadOnlyList<RequestRecord> during, string seam)
    {
        var failed = during.Count(r => r.Failed);
        var p99Before = Report.CutoverWindowRule.P99(before);
        var p99During = Report.CutoverWindowRule.P99(during);
        var spike = p99During > Report.CutoverWindowRule.Limit(p99Before, p99Before);
        var passed = during.Count > 0 && (failed > 0 || spike);
        var figure = string.Create(Inv, $"{failed} failed of {during.Count}{Breakdown(during)}; p99 {p99During:0.0} ms vs {p99Before:0.0} ms before{(spike ? " (spike)" : "")}");
        return new PhaseResult(name, true, start, end, $"without {seam}: the outage shows (failures or a p99 spike)", passed, figure,
            passed ? null : "the contrast showed nothing: either the seam is not what protects this phase, or the contrast did not remove it");
    }

    /// <summary>" (502 ×3, reset ×1 on 1.1.0)": what failed, so a failed figure can be diagnosed from the table alone.</summary>
    public static string Breakdown(IReadOnlyList<RequestRecord> records)
    {
        var groups = records.Where(r => r.Failed)
            .GroupBy(r => (r.Status == 0 ? (r.Error ?? "transport error") : r.Status.ToString(Inv)) + (r.IsWrite ? " write" : " read") + (r.Version is null ? "" : " on " + r.Version))
            .OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        return groups.Count == 0 ? "" : $" ({string.Join(", ", groups)})";
    }
}
