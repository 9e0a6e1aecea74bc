using Pipeline.Config;
using Pipeline.SingleHost;

namespace Pipeline.Drill.Phases;

/// <summary>
/// Runs the drill: the first install of release 1 (the schema train's expand, on an environment that was Reset),
/// traffic on from then to the end, every phase in order, each judged. A phase that throws is a failed phase (the
/// drill goes on where it safely can: the next phase starts from whatever serves). The drill passes only when every
/// phase — real or contrast — met its target.
/// </summary>
public sealed class DrillRunner(SingleHostSession session, DrillImages images, DrillTimings timings, Func<Uri, IDrillTraffic> startTraffic)
{
    public async Task<IReadOnlyList<PhaseResult>> RunAsync(IReadOnlyList<IDrillPhase> phases, Action<PhaseResult>? progress = null, CancellationToken ct = default)
    {
        // First install: Up boots PostgreSQL/HAProxy/Prometheus, then release 1 goes through the engine (rolling: no baseline).
        // Traffic starts once something serves: the first install has no users to protect (and nothing to judge).
        new SingleHostEnvironment(session).ReconcileInfrastructure();
        await new DrillRun(session, images, NoTrafficYet.Instance, timings).ReleaseAsync(StrategyKind.Rolling, images.Release1, ct);
        await using var traffic = startTraffic(new Uri($"http://127.0.0.1:{session.Config.SingleHost.LoadBalancerPort}"));
        var run = new DrillRun(session, images, traffic, timings);
        var results = new List<PhaseResult>();
        var drillStart = DateTimeOffset.UtcNow;
        foreach (var phase in phases)
        {
            session.Event("drill-phase", phase.Name);
            PhaseResult result;
            var start = DateTimeOffset.UtcNow;
            try { result = await phase.RunAsync(run, ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                result = new PhaseResult(phase.Name, phase.Name.StartsWith('C'), start, DateTimeOffset.UtcNow, "the phase completes", false, "threw: " + e.Message);
            }
            results.Add(result);
            session.Event("drill-verdict", phase.Name, $"{(result.Passed ? "PASS" : "FAIL")}: {result.Figure}");
            progress?.Invoke(result);
        }
        // The sender stops first (answers still due are awaited), then every acknowledged write is read back.
        await traffic.DisposeAsync();
        var writes = await WritesPhase.JudgeAsync(new Uri($"http://127.0.0.1:{session.Config.SingleHost.LoadBalancerPort}"), traffic.Between(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), drillStart, ct);
        results.Add(writes);
        session.Event("drill-verdict", writes.Name, $"{(writes.Passed ? "PASS" : "FAIL")}: {writes.Figure}");
        progress?.Invoke(writes);
        return results;
    }

    // Before the traffic starts there is nothing to read; the first install judges nothing.
    private sealed class NoTrafficYet : IDrillTraffic
    {
        public static readonly NoTrafficYet Instance = new();
        public IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to) => [];
        public IReadOnlyList<ReadinessTransition> Readiness => [];
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
