using Cake.Core.Diagnostics;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Config;
using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.SingleHost.Strategies;
using Pipeline.Tools;

namespace Pipeline.Kubernetes;

/// <summary>
/// The Kubernetes target behind the engine: one Helm release per environment rendering both tracks, the Gateway API
/// router, the cluster's Prometheus. Strategies: canary (the canary track at the first weight, then the engine's
/// steps), blue-green (the canary track at full size, then 100 % at once), rolling (the stable track's own rolling
/// update: maxSurge/maxUnavailable in the chart). A first install is always the stable track directly.
/// </summary>
public sealed class KubernetesTarget : IReleaseTarget
{
    private readonly KubeCluster _cluster;
    private readonly HelmRelease _release;
    private readonly PodReadiness _readiness;
    private readonly ValuesRenderer _render;
    private readonly IReadOnlyList<IDriftSource> _driftSources;

    public KubernetesTarget(ReleaseSession session, KubernetesSettings settings, ValuesRenderer render,
        IReadOnlyList<IDriftSource>? driftSources = null, Func<TimeSpan, CancellationToken, Task>? delay = null, TimeProvider? clock = null)
    {
        Session = session;
        Settings = settings;
        _render = render;
        _cluster = new KubeCluster(session, settings);
        // The runs of an environment share no disk (fresh CI runners): its release records live in the cluster,
        // set here so no target can be built that still keeps them on the machine that happens to run it.
        Records = new ClusterRecords(_cluster, clock: clock);
        session.KeepRecordsIn(Records);
        _release = new HelmRelease(_cluster, render);
        _readiness = new PodReadiness(_cluster, delay);
        _driftSources = driftSources ?? [];
        Router = new GatewayTrafficRouter(_cluster, _release);
        Workloads = new HelmWorkloadController(_cluster, _release, _readiness);
    }

    public TargetKind Kind => TargetKind.Kubernetes;
    public KubernetesSettings Settings { get; }
    public ReleaseSession Session { get; }
    public ITrafficRouter Router { get; }
    public IWorkloadController Workloads { get; }
    public HelmRelease Release => _release;
    public ClusterRecords Records { get; }

    public Uri MetricsAddress => Settings.PrometheusUrl
        ?? throw new InvalidOperationException($"No Prometheus for environment '{Settings.Environment}': set kubernetes.prometheusUrl in {Session.Config.SourceFile}.");

    private ICanaryJudge? _judge;
    public ICanaryJudge Judge
    {
        get => _judge ??= new PrometheusJudge(MetricsAddress, Session.Config.Gates.Canary, Session.VerdictDir, Session.Log);
        set => _judge = value;
    }

    /// <summary>
    /// The version: what Push recorded for this digest in this run, else the audit trail's, else the image's own
    /// schema contract (its labels, else `schema-contract` in a one-off container: SchemaContractLabels.Read, as on the single host).
    /// </summary>
    public ReleaseImage Describe(string reference)
    {
        if (Session.Record.Facts.GetValueOrDefault(FactKeys.ImageDigest) == reference && Session.Record.Facts.GetValueOrDefault(FactKeys.AppVersion) is { Length: > 0 } v)
            return new ReleaseImage(reference, v);
        if (Session.Audit.Read().LastOrDefault(e => e.ImageDigest == reference && e.AppVersion is { Length: > 0 }) is { } known)
            return new ReleaseImage(reference, known.AppVersion!);
        return new ReleaseImage(reference, Contract(reference).Version);
    }

    private SchemaContract Contract(string image)
    {
        if (Session.DryRun) return new("dry-run", 0, 0);
        if (Session.Runner.Run(Podman.ImageExists(image), allowFailure: true).ExitCode != 0)
            Session.Runner.Run(Podman.Pull(image, tlsVerify: !Image.LocalRegistry.IsLoopback(image)), timeout: TimeSpan.FromMinutes(5));
        return SchemaContractLabels.Read(Session.Runner, image);
    }

    public bool IsServing(ReleaseState state, string reference)
    {
        if (Session.DryRun) return true;
        var digest = HelmRelease.DigestOf(reference);
        return _cluster.Pods("stable").Count(p => p.Ready && !p.Terminating && p.SpecImage.EndsWith("@" + digest, StringComparison.Ordinal)) >= Session.Config.Replicas;
    }

    /// <summary>The contract step of a re-release: the migration Job of the same digest migrates to the image's own schemaMax.</summary>
    public void MigrateToOwnContract(string reference)
    {
        var contract = Contract(reference);
        var target = MigrationTarget.For(contract, contract);
        if (_release.Desired.MigrationTarget == target) return;
        _release.Apply(_release.Desired with { MigrationTarget = target }, $"migrate to schema {target.ToString(CultureInfo.InvariantCulture)}");
    }

    public async Task<ReleaseState> StartAsync(ReleaseImage candidate, ReleaseState state, CancellationToken ct)
    {
        _cluster.EnsureReachable(); // before release.json says anything is in progress
        var digest = HelmRelease.DigestOf(candidate.Image);
        var replicas = Session.Config.Replicas;
        var strategy = Session.Config.Strategy;
        var d = _release.Desired;
        // While the stable serves, the Job migrates no further than both contracts allow (no contract step).
        var migration = MigrationTarget.For(Contract(candidate.Image), state.Stable is { } s ? Contract(s.Image) : null);
        if (state.Stable is null || d.Stable is null)
        {
            var first = state with { Candidate = candidate, Strategy = "rolling", CanaryPercent = 100, StepStartedAt = null };
            Session.Persist(first);
            _release.Apply(new KubeDesired(new KubeTrack(digest, candidate.Version, replicas), null, 0, migration), $"first install of {candidate.Version}");
            await _readiness.AwaitAsync("stable", digest, replicas, KubernetesSettings.ReadyTimeout, ct);
            return first;
        }
        var kind = strategy.Kind switch { StrategyKind.Canary => "canary", StrategyKind.BlueGreen => "blue-green", _ => "rolling" };
        var live = state with { Candidate = candidate, Strategy = kind, CanaryPercent = 0, StepStartedAt = null };
        Session.Persist(live);
        if (kind == "rolling")
        {
            _release.Apply(d with { Stable = new KubeTrack(digest, candidate.Version, replicas), Canary = null, CanaryWeight = 0, MigrationTarget = migration }, $"rolling update to {candidate.Version}");
            await _readiness.AwaitAsync("stable", digest, replicas, KubernetesSettings.ReadyTimeout, ct);
            live = live with { CanaryPercent = 100 };
            Session.Persist(live);
            return live;
        }
        var first100 = kind == "blue-green" ? 100 : strategy.Steps[0];
        var count = kind == "blue-green" ? replicas : CanaryStrategy.CanaryCount(replicas, first100);
        try
        {
            _release.Apply(d with { Canary = new KubeTrack(digest, candidate.Version, count), CanaryWeight = 0, MigrationTarget = migration }, $"canary track {candidate.Version} ×{count} at weight 0");
            await _readiness.AwaitAsync("canary", digest, count, KubernetesSettings.ReadyTimeout, ct);
            Router.SetPreview(true);
            Router.SetRoutes(100 - first100, first100);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ClusterUnreachableException))
        {
            // The stable track was never touched: only the canary goes (weight 0 first, then scaled to 0).
            Session.Log.Error("Deploy of {0} failed: {1}", candidate.Version, e.Message);
            ArmAbort(live)(e.Message);
            throw new ReleaseAbortedException($"Release of {candidate.Version} aborted, stable untouched: {e.Message}");
        }
        live = live with { CanaryPercent = first100, StepStartedAt = DateTimeOffset.UtcNow };
        Session.Persist(live);
        return live;
    }

    /// <summary>Weight 0 at once (one upgrade), then the canary scaled to 0; release.json back to the stable alone.</summary>
    public Func<string, bool> ArmAbort(ReleaseState state) => reason =>
    {
        if (state.Stable is null) { Session.Event("rollback-impossible", "candidate kept", reason); return false; }
        _cluster.EnsureReachable();
        var sw = Stopwatch.StartNew();
        var d = _release.Desired;
        if (d.CanaryWeight != 0) _release.Apply(d with { CanaryWeight = 0 }, "rollback: weight 0");
        Session.Record.Facts["kubernetes.rollback.toStableMs"] = sw.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture);
        Session.Event("rolled-back-traffic", "stable", $"{sw.ElapsedMilliseconds} ms after the verdict ({reason})");
        if (_release.Desired.Canary is not null) _release.Apply(_release.Desired with { Canary = null }, "rollback: canary scaled to 0");
        Session.Persist(state with { Candidate = null, CanaryPercent = 0, StepStartedAt = null });
        return true;
    };

    /// <summary>Weight 0 at once; then the stable track to <paramref name="target"/>'s digest (unless it already runs it) and the canary to 0.</summary>
    public async Task<(long ToTargetMs, bool WasRunning)> RollbackToAsync(ReleaseImage target, CancellationToken ct)
    {
        _cluster.EnsureReachable();
        var sw = Stopwatch.StartNew();
        var digest = HelmRelease.DigestOf(target.Image);
        var d = _release.Desired;
        var wasRunning = d.Stable?.Digest == digest;
        if (d.CanaryWeight != 0) _release.Apply(d with { CanaryWeight = 0 }, "rollback: weight 0 at once");
        var stable = new KubeTrack(digest, target.Version, Session.Config.Replicas);
        if (!wasRunning || _release.Desired.Canary is not null)
            _release.Apply(_release.Desired with { Stable = stable, Canary = null, CanaryWeight = 0 }, $"rollback: stable track to {target.Version}");
        if (!wasRunning) await _readiness.AwaitAsync("stable", digest, stable.Replicas, KubernetesSettings.ReadyTimeout, ct);
        var ms = sw.ElapsedMilliseconds;
        Session.Persist(new ReleaseState(target));
        Session.Record.Facts["kubernetes.rollback.toTargetMs"] = ms.ToString(CultureInfo.InvariantCulture);
        Session.Event("weight-changed", Settings.RouteName, $"100% {target.Version} (rollback, {ms} ms)");
        return (ms, wasRunning);
    }

    public DriftReport Drift() => new KubernetesDrift(_cluster, _release, _render, _driftSources).Assess();
}
