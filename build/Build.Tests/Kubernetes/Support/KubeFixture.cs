using Pipeline.Config;
using Pipeline.Kubernetes;
using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.Engine.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes.Support;

/// <summary>
/// An environment "dev" on Kubernetes, run from a fresh temp dir (artifacts; the state dir stays empty: the release
/// records are the cluster's). With a <see cref="ClusterScript"/>, release.json and the audit trail are seeded into
/// its objects as another run would have left them, without a command of this run.
/// </summary>
public sealed class KubeFixture : IDisposable
{
    public const string Repo = "registry.dev.orders.internal/orders-api";
    public static readonly ReleaseImage Old = TempReleaseSession.Release(Repo, '1', "1.1.0");
    public static readonly ReleaseImage New = TempReleaseSession.Release(Repo, '2', "1.2.0");

    private readonly TempReleaseSession _state;
    public string Dir => _state.Dir;
    public EnvironmentConfig Config { get; }
    public ReleaseSession Session => _state.Session;
    public KubernetesTarget Target { get; }
    public ReleaseEngine Engine { get; }

    public KubeFixture(IToolRunner runner, int replicas = 2, StrategyKind strategy = StrategyKind.Canary, string actor = "kube-test",
        TimeProvider? clock = null)
    {
        Config = DevConfig(replicas, strategy);
        _state = new TempReleaseSession("kube-", Config, runner, actor);
        var settings = KubernetesSettings.From(Config, Dir, Path.Combine(Dir, "artifacts"));
        // clock: the lease's (a FakeTimeProvider lets a test watch an expired-looking lease for its full duration at once).
        Target = (KubernetesTarget)ReleaseTargets.ForKubernetes(Session, settings, delay: (_, _) => Task.CompletedTask, clock: clock);
        Engine = new ReleaseEngine(Target);
        Objects = (runner as ClusterScript)?.Objects;
        // Versions are known from the audit trail (no image to run a schema contract from here).
        foreach (var i in new[] { Old, New })
            Audited(new AuditEntry(DateTimeOffset.UtcNow.AddDays(-1), "deploy", "dev", "t", i.Image, "canary", "failed", [], AppVersion: i.Version));
    }

    /// <summary>The cluster's record objects (null for a dry-run runner, which reads nothing).</summary>
    public ClusterObjects? Objects { get; }
    public RecordNames Names => new(Target.Settings.ReleaseName);

    public static EnvironmentConfig DevConfig(int replicas = 2, StrategyKind strategy = StrategyKind.Canary) => new()
    {
        Name = "dev", Target = TargetKind.Kubernetes, Replicas = replicas,
        Image = new ImageConfig { Registry = "registry.dev.orders.internal", Repository = "orders-api" },
        Strategy = new StrategyConfig { Kind = strategy, Steps = [10, 50, 100], PauseSeconds = 0 },
        Kubernetes = new KubernetesConfig { Namespace = "orders-dev", Context = "dev", Release = "orders", Chart = "charts/orders", PrometheusUrl = "http://prometheus.test:9090" },
    };

    /// <summary>release.json in the cluster: <paramref name="image"/> alone serves.</summary>
    public void StableServes(ReleaseImage image) => Declared(new ReleaseState(image));

    /// <summary><see cref="Old"/> stable, <see cref="New"/> a canary live at <paramref name="percent"/>.</summary>
    public void CanaryLiveAt(int percent) => Declared(new ReleaseState(Old, New, "canary", percent, DateTimeOffset.UtcNow));

    public void Declared(ReleaseState state) =>
        Objects?.Put(ReleaseStateConfigMap.ObjectFor(Names, state).ToJson(Target.Settings.Namespace, Names.Labels("state")));

    /// <summary>An audit entry in the cluster, as another run wrote it.</summary>
    public void Audited(AuditEntry entry) =>
        Objects?.Put(ClusterAuditTrail.ObjectFor(Names, entry).ToJson(Target.Settings.Namespace, Names.Labels("audit"), immutable: true));

    public void Dispose() => _state.Dispose();
}
