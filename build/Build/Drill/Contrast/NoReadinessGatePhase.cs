using Pipeline.Drill.Phases;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast: instances join the LB as soon as the process starts (<see cref="NoReadinessGateWorkloads"/>): a
/// scale-out of the serving release by one instance, in rotation before it listens, before its pool is open, cold.
/// Shows: connection refusals/502s or a p99 spike. Then the instance is drained and stopped the proper way.
/// </summary>
public sealed class NoReadinessGatePhase : IDrillPhase
{
    public string Name => "C1 no readiness gate";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var stable = ReleaseState.Load(s.Layout.ReleaseStateFile).Stable ?? throw new InvalidOperationException("nothing serves");
        var workloads = new NoReadinessGateWorkloads(s, new SingleHostWorkloads(s));
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
