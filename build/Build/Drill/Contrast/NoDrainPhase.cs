using Pipeline.Drill.Phases;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast: an instance stopped while it serves (<see cref="NoDrainWorkloads"/>): no LB drain, no app drain delay.
/// Shows: the requests it was answering fail, new ones wait for the LB to notice. Up restores the replica count.
/// </summary>
public sealed class NoDrainPhase : IDrillPhase
{
    public string Name => "C2 no drain";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var stable = ReleaseState.Load(s.Layout.ReleaseStateFile).Stable ?? throw new InvalidOperationException("nothing serves");
        var workloads = new NoDrainWorkloads(s, new SingleHostWorkloads(s));
        var start = DateTimeOffset.UtcNow;
        workloads.StopServing([run.ServingSlots().First()]);
        await Task.Delay(run.Timings.ContrastWindow, ct);
        var end = DateTimeOffset.UtcNow;
        new SingleHostEnvironment(s).Up(stable);
        await run.SettleAsync(ct);
        return PhaseJudge.ContrastShowsOutage(Name, start, end, run.Between(start - TimeSpan.FromSeconds(30), start), run.Between(start, end), "draining");
    }
}
