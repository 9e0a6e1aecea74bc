using Pipeline.Drill.Phases;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast: instances join the LB as soon as the process starts (<see cref="NoReadinessGateWorkloads"/>): a
/// scale-out of the serving release by one instance, in rotation before it can serve. That instance needs a third
/// of the window before it can (`ORDERS_FAULT_COLD_START_SECONDS`: listening, API 503, readiness red — the app that
/// loads a cache first). WHY the injected cold start: the Native AOT app listens and serves ~0.1 s after
/// `podman run`, inside what HAProxy's connection retries cover, so without it the contrast (12-07) showed nothing
/// although the seam was gone. Shows: the 503s the readiness gate exists to keep from users. Then the instance is
/// drained and stopped the proper way.
/// </summary>
public sealed class NoReadinessGatePhase : IDrillPhase
{
    public string Name => "C1 no readiness gate";

    /// <summary>A third of the contrast window, at least 2 s.</summary>
    public static int ColdStartSeconds(DrillTimings timings) => Math.Max(2, (int)Math.Round(timings.ContrastWindow.TotalSeconds / 3));

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var stable = ReleaseState.Load(s.Layout.ReleaseStateFile).Stable ?? throw new InvalidOperationException("nothing serves");
        var coldStart = new Dictionary<string, string>(StringComparer.Ordinal) { ["ORDERS_FAULT_COLD_START_SECONDS"] = ColdStartSeconds(run.Timings).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var workloads = new NoReadinessGateWorkloads(s, new SingleHostWorkloads(s), coldStart);
        var start = DateTimeOffset.UtcNow;
        try
        {
            await workloads.BringUpAsync(stable, run.ServingSlots().Count + 1, ct);
            await Task.Delay(run.Timings.ContrastWindow, ct);
        }
        finally { workloads.Restore(); }
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        return PhaseJudge.ContrastShowsOutage(Name, start, end, run.Between(start - TimeSpan.FromSeconds(30), start), run.Between(start, end), "the readiness gate");
    }
}
