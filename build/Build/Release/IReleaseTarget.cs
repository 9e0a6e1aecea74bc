using Pipeline.Config;
using Pipeline.SingleHost;

namespace Pipeline.Release;

/// <summary>
/// Everything that differs per target, behind one object the factory (<see cref="ReleaseTargets"/>) picks from the
/// environment's <c>target:</c>. The router, the workloads and the metrics address are the small seams the engine's
/// canary step loop drives; the few coarse verbs below are the per-target parts of a strategy that are not a weight
/// step (the single host keeps its pure slot plans and PlanExecutor behind them, as Flagger keeps per-kind detail
/// inside its controllers).
/// </summary>
public interface IReleaseTarget
{
    TargetKind Kind { get; }
    ReleaseSession Session { get; }
    ITrafficRouter Router { get; }
    IWorkloadController Workloads { get; }

    /// <summary>The Prometheus the canary gate reads (single host: loopback; Kubernetes: kubernetes.prometheusUrl).</summary>
    Uri MetricsAddress { get; }

    /// <summary>Judges a canary step (the gate's statistics against <see cref="MetricsAddress"/>).</summary>
    ICanaryJudge Judge { get; }

    /// <summary>The image's version, read from the image itself, so labels never lie.</summary>
    ReleaseImage Describe(string reference);

    /// <summary>True when <paramref name="reference"/> is the stable release and runs (a re-release is a no-op).</summary>
    bool IsServing(ReleaseState state, string reference);

    /// <summary>The contract step of a re-release: once this version alone serves, migrate to its own schemaMax.</summary>
    void MigrateToOwnContract(string reference);

    /// <summary>
    /// The strategy's first part: migrate (expand), the candidate's first instances, preview + smoke where the
    /// target has them, then the first weight. Returns the state it left live (persisted).
    /// </summary>
    Task<ReleaseState> StartAsync(ReleaseImage candidate, ReleaseState state, CancellationToken ct);

    /// <summary>
    /// Arms the automatic rollback before a verdict is awaited, so that after a Fail it is nothing but weight
    /// changes (traffic to stable first), then the candidate retires. The returned action answers false when no
    /// stable instance serves (nothing to fall back to: the candidate keeps serving).
    /// </summary>
    Func<string, bool> ArmAbort(ReleaseState state);

    /// <summary>Returns all traffic to <paramref name="target"/>: at once if it still runs, otherwise after it is ready.</summary>
    Task<(long ToTargetMs, bool WasRunning)> RollbackToAsync(ReleaseImage target, CancellationToken ct);

    /// <summary>Declared versus running, as a readable list of differences.</summary>
    DriftReport Drift();
}
