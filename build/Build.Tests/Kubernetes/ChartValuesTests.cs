using System.Text.Json.Nodes;
using Pipeline.Charts;
using Pipeline.Config;
using Pipeline.Kubernetes;
using Pipeline.Tests.Charts.Support;

namespace Pipeline.Tests.Kubernetes;

/// <summary>
/// One source of truth: every chart-relevant key of build/environments/&lt;env&gt;.yaml, set to a value no default
/// has, lands at its place in the manifest helm renders from ChartValues' file (and nowhere is it typed twice).
/// </summary>
public class ChartValuesTests
{
    private static EnvironmentConfig Distinctive()
    {
        var c = ChartHarness.Config("dev");
        c.Replicas = 5;
        c.Image.Registry = "registry.test.internal:5443";
        c.Image.Repository = "team/orders-x";
        c.Strategy.MaxSurge = 2;
        c.Strategy.PreviewHeader = "X-Preview: yes-please";
        c.App.DrainDelaySeconds = 7;
        c.App.DbMaxPoolSize = 12;
        c.App.ShutdownTimeoutSeconds = 21;
        c.App.WarmupDelaySeconds = 4;
        c.App.GracePeriodSeconds = 45;
        c.Resources.Cpus = 0.75;
        c.Resources.MemoryMb = 300;
        c.Gates.Canary.ScrapeIntervalSeconds = 3;
        c.Gates.Smoke.Paths = ["/healthz/ready", "/orders?limit=3"];
        var k = c.Kubernetes;
        k.Namespace = "orders-test";
        k.Release = "shop";
        k.PrometheusUrl = "http://prom.metrics-ns.svc.cluster.local:9090";
        k.PreStopSleepSeconds = 6;
        k.Probes.Readiness = new() { PeriodSeconds = 7, TimeoutSeconds = 3, FailureThreshold = 4 };
        k.Probes.Liveness = new() { PeriodSeconds = 11, TimeoutSeconds = 5, FailureThreshold = 6 };
        k.Probes.Startup = new() { PeriodSeconds = 3, TimeoutSeconds = 1, FailureThreshold = 41 };
        k.Gateway = new() { Name = "edge", Namespace = "edge-ns", SectionName = "https", Hostnames = ["shop.test.internal"] };
        k.Database = new()
        {
            Host = "pg.test.internal", Port = 6543, Name = "shopdb", User = "shop_app", Cidr = "10.99.0.0/24",
            ExternalSecret = new() { Store = "vault-test", StoreKind = "SecretStore", Key = "shop/db", Property = "pw", RefreshInterval = "15m" },
        };
        k.MaxReplicas = 9;
        k.TargetCpuPercent = 55;
        k.PipelineUsers = ["system:serviceaccount:ci:shop-deployer"];
        Assert.Empty(ConfigValidator.Validate(c, "dev"));
        return c;
    }

    private static IReadOnlyList<JsonObject> Render(EnvironmentConfig c)
    {
        var s = ChartHarness.Settings(c);
        var file = Path.Combine(ChartHarness.OutDir, "distinctive.values.yaml");
        File.WriteAllText(file, ChartValidation.SampleValues(c, s));
        var r = ChartHarness.Runner.Run(Pipeline.Tools.Helm.TemplateValues(s.ReleaseName, ChartHarness.Tools.Chart, s.Namespace, file));
        return ValuesYaml.ParseAll(r.StandardOutput);
    }

    private static readonly Lazy<IReadOnlyList<JsonObject>> Objects = new(() => Render(Distinctive()));

    /// <summary>"Kind/name" then a dotted path; [n] indexes arrays; {a.b/c} is one key with dots; env:NAME is a container env var's value.</summary>
    private static string At(string obj, string path)
    {
        var parts = obj.Split('/');
        JsonNode? n = Objects.Value.Single(o => o["kind"]!.GetValue<string>() == parts[0] && o["metadata"]!["name"]!.GetValue<string>() == parts[1]);
        foreach (var seg in System.Text.RegularExpressions.Regex.Matches(path, @"\{[^}]*\}|[^.]+").Select(m => m.Value.Trim('{', '}')))
        {
            if (seg.StartsWith("env:", StringComparison.Ordinal))
                return n!["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == seg[4..])!["value"]!.GetValue<string>();
            var bracket = seg.IndexOf('[');
            n = bracket < 0 ? n![seg] : n![seg[..bracket]]![int.Parse(seg[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
        }
        return n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n!.ToJsonString();
    }

    private const string App = "spec.template.spec.containers[0]";

    [Theory]
    [InlineData("replicas", "HorizontalPodAutoscaler/shop-stable", "spec.minReplicas", "5")]
    [InlineData("image.registry + image.repository", "Deployment/shop-stable", App + ".image", "registry.test.internal:5443/team/orders-x@sha256:1111111111111111111111111111111111111111111111111111111111111111")]
    [InlineData("strategy.maxSurge", "Deployment/shop-stable", "spec.strategy.rollingUpdate.maxSurge", "2")]
    [InlineData("strategy.maxUnavailable", "Deployment/shop-canary", "spec.strategy.rollingUpdate.maxUnavailable", "0")]
    [InlineData("strategy.previewHeader (name)", "HTTPRoute/shop", "spec.rules[0].matches[0].headers[0].name", "X-Preview")]
    [InlineData("strategy.previewHeader (value)", "HTTPRoute/shop", "spec.rules[0].matches[0].headers[0].value", "yes-please")]
    [InlineData("app.drainDelaySeconds", "Deployment/shop-stable", App + ".env:ORDERS_DRAIN_DELAY_SECONDS", "7")]
    [InlineData("app.dbMaxPoolSize", "Job/shop-migrate", App + ".env:ORDERS_DB_MAX_POOL_SIZE", "12")]
    [InlineData("app.dbMaxPoolSize", "Deployment/shop-canary", App + ".env:ORDERS_DB_MAX_POOL_SIZE", "12")]
    [InlineData("app.shutdownTimeoutSeconds", "Deployment/shop-stable", App + ".env:ORDERS_SHUTDOWN_TIMEOUT_SECONDS", "21")]
    [InlineData("app.warmupDelaySeconds", "Deployment/shop-canary", App + ".env:ORDERS_WARMUP_DELAY_SECONDS", "4")]
    [InlineData("app.gracePeriodSeconds", "Deployment/shop-stable", "spec.template.spec.terminationGracePeriodSeconds", "45")]
    [InlineData("kubernetes.preStopSleepSeconds", "Deployment/shop-stable", App + ".lifecycle.preStop.sleep.seconds", "6")]
    [InlineData("resources.cpus", "Deployment/shop-stable", App + ".resources.limits.cpu", "750m")]
    [InlineData("resources.memoryMb", "Job/shop-migrate", App + ".resources.requests.memory", "300Mi")]
    [InlineData("kubernetes.probes.readiness.periodSeconds", "Deployment/shop-stable", App + ".readinessProbe.periodSeconds", "7")]
    [InlineData("kubernetes.probes.readiness.timeoutSeconds", "Deployment/shop-stable", App + ".readinessProbe.timeoutSeconds", "3")]
    [InlineData("kubernetes.probes.readiness.failureThreshold", "Deployment/shop-stable", App + ".readinessProbe.failureThreshold", "4")]
    [InlineData("kubernetes.probes.liveness.periodSeconds", "Deployment/shop-stable", App + ".livenessProbe.periodSeconds", "11")]
    [InlineData("kubernetes.probes.liveness.timeoutSeconds", "Deployment/shop-stable", App + ".livenessProbe.timeoutSeconds", "5")]
    [InlineData("kubernetes.probes.liveness.failureThreshold", "Deployment/shop-stable", App + ".livenessProbe.failureThreshold", "6")]
    [InlineData("kubernetes.probes.startup.periodSeconds", "Deployment/shop-stable", App + ".startupProbe.periodSeconds", "3")]
    [InlineData("kubernetes.probes.startup.timeoutSeconds", "Deployment/shop-stable", App + ".startupProbe.timeoutSeconds", "1")]
    [InlineData("kubernetes.probes.startup.failureThreshold", "Deployment/shop-stable", App + ".startupProbe.failureThreshold", "41")]
    [InlineData("gates.canary.scrapeIntervalSeconds", "PodMonitor/shop", "spec.podMetricsEndpoints[0].interval", "3s")]
    [InlineData("gates.smoke.paths", "Pod/shop-smoke-test", "spec.containers[0].args[2]", "http://shop-stable.orders-test.svc:80/orders?limit=3")]
    [InlineData("kubernetes.namespace", "ValidatingAdmissionPolicyBinding/orders-test-shop-pipeline-only", "spec.matchResources.namespaceSelector.matchLabels.{kubernetes.io/metadata.name}", "orders-test")]
    [InlineData("kubernetes.prometheusUrl (its namespace may scrape)", "NetworkPolicy/shop-allow-ingress", "spec.ingress[0].from[1].namespaceSelector.matchLabels.{kubernetes.io/metadata.name}", "metrics-ns")]
    [InlineData("kubernetes.gateway.name", "HTTPRoute/shop", "spec.parentRefs[0].name", "edge")]
    [InlineData("kubernetes.gateway.namespace", "HTTPRoute/shop", "spec.parentRefs[0].namespace", "edge-ns")]
    [InlineData("kubernetes.gateway.namespace (may send traffic)", "NetworkPolicy/shop-allow-ingress", "spec.ingress[0].from[0].namespaceSelector.matchLabels.{kubernetes.io/metadata.name}", "edge-ns")]
    [InlineData("kubernetes.gateway.sectionName", "HTTPRoute/shop", "spec.parentRefs[0].sectionName", "https")]
    [InlineData("kubernetes.gateway.hostnames", "HTTPRoute/shop", "spec.hostnames[0]", "shop.test.internal")]
    [InlineData("kubernetes.database.host", "Deployment/shop-stable", App + ".env:ORDERS_DB_HOST", "pg.test.internal")]
    [InlineData("kubernetes.database.port", "Job/shop-migrate", App + ".env:ORDERS_DB_PORT", "6543")]
    [InlineData("kubernetes.database.port (egress)", "NetworkPolicy/shop-allow-egress", "spec.egress[0].ports[0].port", "6543")]
    [InlineData("kubernetes.database.name", "Deployment/shop-stable", App + ".env:ORDERS_DB_NAME", "shopdb")]
    [InlineData("kubernetes.database.user", "Deployment/shop-stable", App + ".env:ORDERS_DB_USER", "shop_app")]
    [InlineData("kubernetes.database.cidr", "NetworkPolicy/shop-allow-egress", "spec.egress[0].to[0].ipBlock.cidr", "10.99.0.0/24")]
    [InlineData("kubernetes.database.externalSecret.store", "ExternalSecret/shop-db", "spec.secretStoreRef.name", "vault-test")]
    [InlineData("kubernetes.database.externalSecret.storeKind", "ExternalSecret/shop-db", "spec.secretStoreRef.kind", "SecretStore")]
    [InlineData("kubernetes.database.externalSecret.key", "ExternalSecret/shop-db", "spec.data[0].remoteRef.key", "shop/db")]
    [InlineData("kubernetes.database.externalSecret.property", "ExternalSecret/shop-db", "spec.data[0].remoteRef.property", "pw")]
    [InlineData("kubernetes.database.externalSecret.refreshInterval", "ExternalSecret/shop-db", "spec.refreshInterval", "15m")]
    [InlineData("kubernetes.maxReplicas", "HorizontalPodAutoscaler/shop-stable", "spec.maxReplicas", "9")]
    [InlineData("kubernetes.targetCpuPercent", "HorizontalPodAutoscaler/shop-stable", "spec.metrics[0].resource.target.averageUtilization", "55")]
    public void Each_configuration_key_lands_in_the_rendered_manifest(string key, string obj, string path, string expected) =>
        Assert.True(expected == At(obj, path), $"{key}: expected '{expected}' at {obj} {path}, found '{At(obj, path)}'");

    [Fact]
    public void Pipeline_users_are_the_only_identities_in_the_admission_policy()
    {
        var policy = Objects.Value.Single(o => o["kind"]!.GetValue<string>() == "ValidatingAdmissionPolicy");
        var pipeline = policy["spec"]!["variables"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "pipeline")!["expression"]!.GetValue<string>();
        Assert.Equal("request.userInfo.username in ['system:serviceaccount:ci:shop-deployer']", pipeline);
    }

    [Fact]
    public void An_existing_secret_replaces_the_external_secret()
    {
        var c = Distinctive();
        c.Kubernetes.Database.ExternalSecret = null;
        c.Kubernetes.Database.ExistingSecret = "shop-db-password";
        var objects = Render(c);
        Assert.DoesNotContain(objects, o => o["kind"]!.GetValue<string>() is "ExternalSecret" or "Secret");
        var volume = objects.Single(o => o["kind"]!.GetValue<string>() == "Deployment" && o["metadata"]!["name"]!.GetValue<string>() == "shop-stable")
            ["spec"]!["template"]!["spec"]!["volumes"]![0]!["secret"]!["secretName"]!.GetValue<string>();
        Assert.Equal("shop-db-password", volume);
    }

    [Fact]
    public void The_engine_block_wins_and_strings_stay_strings()
    {
        var c = Distinctive();
        var yaml = ChartValues.Render(c, ChartHarness.Settings(c), new KubeDesired(new KubeTrack("sha256:" + new string('a', 64), "1.10", 5), null, 0));
        var values = ValuesYaml.Parse(yaml);
        Assert.Equal("1.10", values["stable"]!["version"]!.GetValue<string>()); // not the number 1.1
        Assert.Equal(0, values["route"]!["canaryWeight"]!.GetValue<long>());
        Assert.Equal("edge", values["route"]!["gateway"]!["name"]!.GetValue<string>()); // merged, not replaced
        Assert.StartsWith("# GENERATED by the release pipeline", yaml);
    }
}
