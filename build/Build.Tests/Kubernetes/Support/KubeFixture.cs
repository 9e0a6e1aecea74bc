using Pipeline.Config;
using Pipeline.Kubernetes;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.Engine.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes.Support;

/// <summary>An environment "dev" on Kubernetes with its state and artifacts in a temp dir.</summary>
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

    public KubeFixture(IToolRunner runner, int replicas = 2, StrategyKind strategy = StrategyKind.Canary)
    {
        Config = DevConfig(replicas, strategy);
        _state = new TempReleaseSession("kube-", Config, runner, "kube-test");
        var settings = KubernetesSettings.From(Config, Dir, Path.Combine(Dir, "artifacts"));
        Target = (KubernetesTarget)ReleaseTargets.ForKubernetes(Session, settings, delay: (_, _) => Task.CompletedTask);
        Engine = new ReleaseEngine(Target);
        // Versions are known from the audit trail (no image to run a schema contract from here).
        foreach (var i in new[] { Old, New })
            Session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow.AddDays(-1), "deploy", "dev", "t", i.Image, "canary", "failed", [], AppVersion: i.Version));
    }

    public static EnvironmentConfig DevConfig(int replicas = 2, StrategyKind strategy = StrategyKind.Canary) => new()
    {
        Name = "dev", Target = TargetKind.Kubernetes, Replicas = replicas,
        Image = new ImageConfig { Registry = "registry.dev.orders.internal", Repository = "orders-api" },
        Strategy = new StrategyConfig { Kind = strategy, Steps = [10, 50, 100], PauseSeconds = 0 },
        Kubernetes = new KubernetesConfig { Namespace = "orders-dev", Context = "dev", Release = "orders", Chart = "charts/orders", PrometheusUrl = "http://prometheus.test:9090" },
    };

    public void StableServes(ReleaseImage image) => _state.StableServes(image);

    /// <summary><see cref="Old"/> stable, <see cref="New"/> a canary live at <paramref name="percent"/>.</summary>
    public void CanaryLiveAt(int percent) => _state.CanaryLiveAt(Old, New, percent);

    public void Dispose() => _state.Dispose();
}
