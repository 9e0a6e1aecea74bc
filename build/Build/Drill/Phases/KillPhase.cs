using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Phase 7a: one serving instance killed with SIGKILL mid-request (an OOM kill, a crashed host process). Only the
/// requests in flight on it may fail (HAProxy's current sessions on that server, read just before the kill), and the
/// LB must stop routing to it within 2 s (its check: inter 1 s, fall 2; connection refusals are redispatched).
/// Afterwards Up brings the declared replica count back.
/// </summary>
public sealed class KillPhase : IDrillPhase
{
    public string Name => "7a SIGKILL one instance";

    public async Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct)
    {
        var s = run.Session;
        var slot = run.ServingSlots().First();
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(run.Timings.Settle, ct);
        var inFlight = new LoadBalancer(s).Server(SingleHostLayout.Backend, slot)?.CurrentSessions ?? 0;
        var killedAt = DateTimeOffset.UtcNow;
        s.Runner.Run(DrillCommands.Kill(s.Layout.ContainerOf(slot)));
        s.Event("drill", "SIGKILL", $"{SingleHostLayout.ServerOf(slot)} with {inFlight} request(s) in flight");
        await Task.Delay(run.Timings.Settle, ct);
        var end = DateTimeOffset.UtcNow;
        // Back to the declared count the way an operator would: Up keeps what serves and starts what is missing.
        var stable = ReleaseState.Load(s.Layout.ReleaseStateFile).Stable ?? throw new InvalidOperationException("no stable release to restore after the kill");
        new SingleHostEnvironment(s).Up(stable);
        await run.SettleAsync(ct);
        return PhaseJudge.KillContained(Name, start, end, run.Between(start, end), killedAt, inFlight);
    }
}
