using Pipeline.Config;

namespace Pipeline.Tests.Config;

/// <summary>The chart's side of a Kubernetes environment: refused before anything runs (exit 2), each error naming its key.</summary>
public class ConfigValidatorKubernetesTests
{
    private static readonly string EnvironmentsDir = Path.Combine(BuildPaths.Discover("local").RepoRoot, "build", "environments");

    private static EnvironmentConfig Dev() => ConfigLoader.Load(EnvironmentsDir, "dev", honourOverride: false);

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_repository_environments_are_valid(string env) =>
        Assert.Empty(ConfigValidator.Validate(ConfigLoader.Load(EnvironmentsDir, env, honourOverride: false), env));

    [Fact]
    public void Grace_must_cover_prestop_drain_and_shutdown()
    {
        var c = Dev();
        c.Kubernetes.PreStopSleepSeconds = 5; // 5 + 5 + 20 = 30 = grace
        Assert.Contains(ConfigValidator.Validate(c, "dev"), e => e.StartsWith("app.gracePeriodSeconds: 30 must exceed kubernetes.preStopSleepSeconds + drainDelaySeconds + shutdownTimeoutSeconds (30)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_password_has_exactly_one_source()
    {
        var c = Dev();
        c.Kubernetes.Database.ExistingSecret = "orders-db";
        Assert.Contains(ConfigValidator.Validate(c, "dev"), e => e.StartsWith("kubernetes.database: set exactly one of existingSecret", StringComparison.Ordinal));
        c.Kubernetes.Database.ExternalSecret = null;
        Assert.Empty(ConfigValidator.Validate(c, "dev"));
        c.Kubernetes.Database.ExistingSecret = "";
        Assert.Contains(ConfigValidator.Validate(c, "dev"), e => e.StartsWith("kubernetes.database: set exactly one of existingSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void Pipeline_identities_gateway_cidr_and_an_in_cluster_prometheus_are_required()
    {
        var c = Dev();
        c.Kubernetes.PipelineUsers = [];
        c.Kubernetes.Gateway.Name = "";
        c.Kubernetes.Database.Cidr = "10.20.0.0";
        c.Kubernetes.PrometheusUrl = "https://prometheus.example.com";
        c.Strategy.MaxUnavailable = 1;
        var errors = ConfigValidator.Validate(c, "dev");
        Assert.Contains(errors, e => e.StartsWith("kubernetes.pipelineUsers:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("kubernetes.gateway.name/namespace:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("kubernetes.database.cidr:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("kubernetes.prometheusUrl: 'https://prometheus.example.com' is not an in-cluster Service address", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("strategy.maxUnavailable: must be 0 on Kubernetes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(10_001)]
    [InlineData(-1)]
    public void An_audit_retention_outside_its_bounds_is_refused_naming_the_key(int retention)
    {
        var c = Dev();
        c.Kubernetes.AuditRetention = retention;
        Assert.Contains(ConfigValidator.Validate(c, "dev"),
            e => e.StartsWith($"kubernetes.auditRetention: {retention} must be between 10 and 10000 (audit entries kept in the cluster; default 500;", StringComparison.Ordinal));
    }

    [Fact]
    public void The_audit_retention_is_read_from_the_environment_and_defaults_to_500()
    {
        Assert.Equal(500, Dev().Kubernetes.AuditRetention);
        Assert.Equal(500, new KubernetesConfig().AuditRetention);
        var c = Dev();
        c.Kubernetes.AuditRetention = 10;
        Assert.Empty(ConfigValidator.Validate(c, "dev"));
        Assert.Equal(10, Pipeline.Kubernetes.KubernetesSettings.From(c, "/repo", "/a").AuditRetention);
    }

    [Theory]
    [InlineData("http://prometheus-operated.monitoring.svc:9090", "monitoring")]
    [InlineData("http://prom.metrics.svc.cluster.local:9090", "metrics")]
    [InlineData("http://prometheus.example.com", null)]
    public void Prometheus_namespace_comes_from_its_service_address(string url, string? ns) =>
        Assert.Equal(ns, ConfigValidator.PrometheusNamespace(new Uri(url)));
}
