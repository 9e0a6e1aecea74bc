using Pipeline.Config;
using Pipeline.Drill.Traffic;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Phases;

/// <summary>What a drill produced: each phase against its target, the write check, and when the traffic ran.</summary>
public sealed record DrillOutcome(IReadOnlyList<PhaseResult> Phases, WriteVerification Writes, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Every phase — release or contrast — met its target, and no acknowledged write is missing or duplicated.</summary>
    public bool Passed => DrillSummary.Passed(Phases) && Writes.Passed;
}

/// <summary>
/// Runs the drill: the first install of release 1 (the schema train's expand, on an environment that was Reset),
/// traffic on from then to the end, every phase in order, each judged, then every write read back (API and
/// PostgreSQL, <see cref="WriteVerifier"/>). A phase that throws is a failed phase (the drill goes on: the next phase
/// starts from whatever serves). The drill passes only when every phase met its target and no write was lost.
/// </summary>
public sealed class DrillRunner(SingleHostSession session, DrillImages images, DrillTimings timings, Func<Uri, IDrillTraffic> startTraffic)
{
    private Uri LoadBalancer => new($"http://127.0.0.1:{session.Config.SingleHost.LoadBalancerPort}");

    // A phase that throws is a failed phase; the drill goes on from whatever serves.
    private static async Task<PhaseResult> RunOnceAsync(IDrillPhase phase, DrillRun run, CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        try { return await phase.RunAsync(run, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new PhaseResult(phase.Name, phase.Name.StartsWith('C'), start, DateTimeOffset.UtcNow, "the phase completes", false, "threw: " + e.Message);
        }
    }

    public async Task<DrillOutcome> RunAsync(IReadOnlyList<IDrillPhase> phases, Action<string>? phaseStarting = null, Action<PhaseResult>? phaseJudged = null, CancellationToken ct = default)
    {
        // Traffic starts once something serves: the first install has no users to protect (and nothing to judge).
        new SingleHostEnvironment(session).ReconcileInfrastructure();
        await new DrillRun(session, images, NoTrafficYet.Instance, timings).ReleaseAsync(StrategyKind.Rolling, images.Release1, ct);
        await using var traffic = startTraffic(LoadBalancer);
        var run = new DrillRun(session, images, traffic, timings);
        var results = new List<PhaseResult>();
        var drillStart = DateTimeOffset.UtcNow;
        DateTimeOffset? lastEnd = null;
        foreach (var phase in phases)
        {
            if (phase.JudgesCutover && QuietBefore(lastEnd, DateTimeOffset.UtcNow, timings.RerunQuiet) is { } quiet && quiet > TimeSpan.Zero)
            {
                session.Event("drill-quiet", phase.Name, $"{quiet.TotalSeconds:0} s so that the reference window holds no other phase");
                await Task.Delay(quiet, ct);
            }
            session.Event("drill-phase", phase.Name);
            phaseStarting?.Invoke(phase.Name);
            var servedBefore = session.LoadState().Stable;
            var result = await StolenWindowRerun.RunAsync(phase, () => RunOnceAsync(phase, run, ct), async () =>
            {
                // Back to what served before the phase (unjudged), then a full reference window of quiet.
                if (servedBefore is not null && session.LoadState().Stable?.Image != servedBefore.Image)
                    await run.ReleaseAsync(StrategyKind.Rolling, servedBefore.Image, ct);
                await Task.Delay(timings.RerunQuiet, ct);
            }, (attempt, figure) =>
            {
                session.Event("drill-rerun", phase.Name, $"attempt {attempt}: {figure}");
                phaseStarting?.Invoke($"{phase.Name} (attempt {attempt}: window stolen)");
            });
            results.Add(result);
            lastEnd = DateTimeOffset.UtcNow;
            session.Event("drill-verdict", phase.Name, $"{(result.Passed ? "PASS" : "FAIL")}: {result.Figure}");
            phaseJudged?.Invoke(result);
        }
        var drillEnd = DateTimeOffset.UtcNow;
        // The sender stops first (answers still due are awaited), then every acknowledged write is read back.
        await traffic.DisposeAsync();
        phaseStarting?.Invoke("verifying writes");
        var l = session.Layout;
        var writes = await WriteVerifier.VerifyAsync(traffic.Between(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), LoadBalancer,
            sql => session.Runner.Run(Postgres.Psql(l.PostgresSocketDir, session.Config.SingleHost.PostgresPort, SingleHostLayout.DbName, sql), timeout: TimeSpan.FromMinutes(2)).StandardOutput, ct);
        session.Event("drill-verdict", "writes", $"{(writes.Passed ? "PASS" : "FAIL")}: {writes.AcknowledgedMissing} acknowledged missing, {writes.Duplicates} duplicates of {writes.Acknowledged} acknowledged");
        return new DrillOutcome(results, writes, drillStart, drillEnd);
    }

    /// <summary>
    /// How long to wait before a phase judged by the cutover rule: its reference is the 30–60 s before it, and in the
    /// 12-07 drill the canary's reference was the rolling release's own window (p99 51 ms: the canary "passed" at 58 ms
    /// against a limit of 64). The wait makes <paramref name="quiet"/> (a full reference window) pass since the last
    /// phase ended; none before the first phase (the baseline is quiet by construction).
    /// </summary>
    public static TimeSpan? QuietBefore(DateTimeOffset? lastPhaseEnd, DateTimeOffset now, TimeSpan quiet) =>
        lastPhaseEnd is { } end ? quiet - (now - end) : null;

    // Before the traffic starts there is nothing to read; the first install judges nothing.
    private sealed class NoTrafficYet : IDrillTraffic
    {
        public static readonly NoTrafficYet Instance = new();
        public IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to) => [];
        public IReadOnlyList<ReadinessTransition> Readiness => [];
        public IReadOnlyList<Traffic.StealSample> Steal => [];
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
