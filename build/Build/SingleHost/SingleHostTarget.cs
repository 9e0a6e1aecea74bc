using Pipeline.Config;
using Pipeline.Release;

namespace Pipeline.SingleHost;

/// <summary>
/// The single-host target behind the engine: HAProxy router, podman workloads, the loopback Prometheus. A
/// strategy's first part (rolling / blue-green / the canary's first step with preview + smoke) and a rollback stay
/// the pure slot plans run by <see cref="PlanExecutor"/>; the canary's later steps are the engine's loop.
/// </summary>
public sealed class SingleHostTarget(SingleHostSession session) : IReleaseTarget
{
    private readonly SingleHostEnvironment _env = new(session);

    public TargetKind Kind => TargetKind.SingleHost;
    public SingleHostSession SingleHost => session;
    public ReleaseSession Session { get; } = ReleaseSession.From(session);
    public ITrafficRouter Router { get; } = new SingleHostTrafficRouter(session);
    public IWorkloadController Workloads { get; } = new SingleHostWorkloads(session);
    public Uri MetricsAddress => new($"http://127.0.0.1:{session.Config.SingleHost.PrometheusPort}");

    /// <summary>The session's judge if one was set (tests, the gate helper's), else the Prometheus one.</summary>
    public ICanaryJudge Judge => session.Judge ??= new PrometheusCanaryJudge(session, session.VerdictDir);

    public ReleaseImage Describe(string reference) => SingleHostRelease.Describe(session, reference);

    public bool IsServing(ReleaseState state, string reference) =>
        new AppInstances(session).List().Any(i => i.Running && i.Image == reference);

    public void MigrateToOwnContract(string reference)
    {
        // The app still refuses (exit 3) while any live instance needs the old schema.
        var apps = new AppInstances(session);
        var contract = apps.Contract(reference);
        apps.Migrate(reference, MigrationTarget.For(contract, contract));
    }

    public Task<ReleaseState> StartAsync(ReleaseImage candidate, ReleaseState state, CancellationToken ct)
    {
        // Before anything changes: the pair's contracts AND the database's current schema (an instance of a
        // release the schema has moved past would wait for a readiness that can never come).
        if (!session.DryRun)
        {
            var apps = new AppInstances(session);
            MigrationTarget.For(apps.Contract(candidate.Image), state.Stable is { } s ? apps.Contract(s.Image) : null, new PostgresCluster(session).SchemaVersion());
        }
        return _env.DeployAsync(candidate, ct);
    }

    public Func<string, bool> ArmAbort(ReleaseState state)
    {
        // Known before the verdict, so a rollback is nothing but weight changes (no podman/LB queries first).
        var router = (SingleHostTrafficRouter)Router;
        var (stable, cand) = router.Sets(state);
        var enabled = new LoadBalancer(session).EnabledSlots().ToHashSet();
        var known = (stable.Where(enabled.Contains).ToList(), cand);
        return reason => new PlanExecutor(session, state).AbortCandidate(reason, known);
    }

    public async Task<(long ToTargetMs, bool WasRunning)> RollbackToAsync(ReleaseImage target, CancellationToken ct)
    {
        if (!session.DryRun && !new AppInstances(session).List().Any(i => i.Running && i.Image == target.Image))
            MigrationTarget.RequireRunsOn(new AppInstances(session).Contract(target.Image), new PostgresCluster(session).SchemaVersion());
        var result = await _env.RollbackAsync(target, ct);
        session.Record.Facts["singlehost.rollback.toTargetMs"] = result.ToTargetMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }

    public DriftReport Drift() => new DriftDetector(session).Assess();
}
