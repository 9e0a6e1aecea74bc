using Pipeline.Drill.Phases;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast: the destructive migration shipped in one step, then a rollback — run after phase 5's contract (schema 4,
/// column <c>total</c> gone). The rollback to 1.2.0 skips what expand-contract and the schema contract give: the
/// compatibility check (1.2.0 runs on [3..3]) and the readiness gate that would keep a release on the wrong schema out
/// of rotation (<see cref="NoReadinessGateWorkloads"/>). Shows: the rolled-back version serves errors (its writes
/// need <c>total</c>). Then its instances drain and stop; release 3 keeps serving.
/// </summary>
public sealed class NoExpandContractPhase : IDrillPhase
{
    public string Name => "C4 no expand-contract (one-step drop, then rollback)";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var previous = new ReleaseImage(run.Images.Release2, new AppInstances(s).Contract(run.Images.Release2).Version);
        var workloads = new NoReadinessGateWorkloads(s, new SingleHostWorkloads(s));
        var lb = new LoadBalancer(s);
        var serving = run.ServingSlots();
        var start = DateTimeOffset.UtcNow;
        try
        {
            await workloads.BringUpAsync(previous, s.Config.Replicas, ct);
            // The "rollback": all traffic to the previous version at once.
            foreach (var slot in serving) lb.SetWeight(slot, 0);
            await Task.Delay(run.Timings.ContrastWindow, ct);
        }
        finally
        {
            foreach (var slot in serving) lb.SetWeight(slot, 100);
            workloads.Restore();
        }
        var end = DateTimeOffset.UtcNow;
        await run.SettleAsync(ct);
        return PhaseJudge.ContrastShowsOutage(Name, start, end, run.Between(start - TimeSpan.FromSeconds(30), start), run.Between(start, end), "expand-contract");
    }
}
