using Pipeline.Drill.Phases;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast: an instance stopped while it serves (<see cref="NoDrainWorkloads"/>): no LB drain, no app drain delay,
/// and no LB retry to re-send what it dropped (<see cref="HaproxyWithoutRetries"/>). Shows: the requests it was
/// answering and the ones sent to it before the health check notices (fall 2 × inter 1 s) fail. Afterwards the
/// declared HAProxy configuration is reconciled back and Up restores the replica count.
/// </summary>
public sealed class NoDrainPhase : IDrillPhase
{
    public string Name => "C2 no drain";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var stable = ReleaseState.Load(s.Layout.ReleaseStateFile).Stable ?? throw new InvalidOperationException("nothing serves");
        var workloads = new NoDrainWorkloads(s, new SingleHostWorkloads(s));
        var haproxy = new HaproxyService(s);
        haproxy.Apply(HaproxyWithoutRetries.Strip(HaproxyConfig.Render(s.Layout)));
        s.Event("contrast", "HAProxy without retries (retries 0, no retry-on, no redispatch)");
        var start = DateTimeOffset.UtcNow;
        try
        {
            workloads.StopServing([run.ServingSlots().First()]);
            await Task.Delay(run.Timings.ContrastWindow, ct);
        }
        finally
        {
            haproxy.Reconcile();
            s.Event("contrast", "HAProxy configuration restored");
        }
        var end = DateTimeOffset.UtcNow;
        new SingleHostEnvironment(s).Up(stable);
        await run.SettleAsync(ct);
        return PhaseJudge.ContrastShowsOutage(Name, start, end, run.Between(start - TimeSpan.FromSeconds(30), start), run.Between(start, end), "draining (or an LB retry to hide it)");
    }
}
