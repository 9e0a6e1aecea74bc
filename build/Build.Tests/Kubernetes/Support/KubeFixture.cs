using Pipeline.Config;
using Pipeline.Kubernetes;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes.Support;

/// <summary>An environment "dev" on Kubernetes with its state and artifacts in a temp dir.</summary>
public sealed class KubeFixture : IDisposable
{
    public const string Repo = "registry.dev.orders.internal/orders-api";
    public static readonly ReleaseImage Old = new(Repo + "@sha256:" + new string('1', 64), "1.1.0");
    public static readonly ReleaseImage New = new(Repo + "@sha256:" + new string('2', 64), "1.2.0");

    public string Dir { get; } = Directory.CreateTempSubdirectory("kube-").FullName;
    public EnvironmentConfig Config { get; }
    public ReleaseSession Session { get; }
    public KubernetesTarget Target { get; }
    public ReleaseEngine Engine { get; }

    public KubeFixture(IToolRunner runner, int replicas = 2, StrategyKind strategy = StrategyKind.Canary)
    {
        Config = DevConfig(replicas, strategy);
        Session = new ReleaseSession(Config, Path.Combine(Dir, "state"), runner, new RunRecord { Environment = "dev" }, TestCake.Create().Log, "kube-test");
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

    public void StableServes(ReleaseImage image) => Session.Persist(new ReleaseState(image));

    public void Dispose() { try { Directory.Delete(Dir, true); } catch (IOException) { } }
}
