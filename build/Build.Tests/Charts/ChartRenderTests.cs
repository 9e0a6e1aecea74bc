using System.Text.Json.Nodes;
using Pipeline.Charts;
using Pipeline.Kubernetes;
using Pipeline.Tests.Charts.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Charts;

/// <summary>helm lint + helm template of the real chart with each environment's generated values, and the chart's guards.</summary>
public class ChartRenderTests
{
    private static IReadOnlyList<JsonObject> Objects(string manifest) => ValuesYaml.ParseAll(manifest);
    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();
    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    [Theory]
    [InlineData("dev", "orders-dev")]
    [InlineData("staging", "orders-staging")]
    [InlineData("prod", "orders-prod")]
    public void Each_environment_lints_and_renders_every_resource(string env, string ns)
    {
        var values = ChartHarness.SampleValues(env);
        var file = Path.Combine(ChartHarness.OutDir, env + ".lint.yaml");
        File.WriteAllText(file, values);
        var lint = ChartHarness.Runner.Run(Helm.LintValues(ChartHarness.Tools.Chart, ns, file), allowFailure: true);
        Assert.True(lint.ExitCode == 0, lint.StandardOutput + lint.StandardError);

        var kinds = Objects(ChartHarness.RenderOk(values, ns)).Select(o => $"{Kind(o)}/{Name(o)}").Order().ToList();
        Assert.Equal(new[]
        {
            "Deployment/orders-canary", "Deployment/orders-stable", "ExternalSecret/orders-db", "HTTPRoute/orders",
            "HorizontalPodAutoscaler/orders-stable", "Job/orders-migrate", "NetworkPolicy/orders-allow-egress",
            "NetworkPolicy/orders-allow-ingress", "NetworkPolicy/orders-default-deny", "Pod/orders-smoke-test",
            "PodDisruptionBudget/orders-stable", "PodMonitor/orders", "Service/orders-canary", "Service/orders-stable",
            $"ValidatingAdmissionPolicy/{ns}-orders-pipeline-only", $"ValidatingAdmissionPolicyBinding/{ns}-orders-pipeline-only",
        }, kinds);
    }

    [Fact]
    public void The_engine_states_render_as_the_router_and_readiness_expect()
    {
        var c = ChartHarness.Config("dev");
        var s = ChartHarness.Settings(c);
        var stableOnly = new KubeDesired(new KubeTrack("sha256:" + new string('a', 64), "1.3.0", 2), null, 0);
        var objects = Objects(ChartHarness.RenderOk(ChartValues.Render(c, s, stableOnly)));
        // No candidate: no canary Deployment, no preview rule, no migration Job; all weight on stable.
        Assert.DoesNotContain(objects, o => Kind(o) == "Deployment" && Name(o) == "orders-canary");
        Assert.DoesNotContain(objects, o => Kind(o) == "Job");
        var route = objects.Single(o => Kind(o) == "HTTPRoute");
        var weights = KubeJson.ParseHttpRoute(route.ToJsonString(), s.StableName, s.CanaryName, s.PreviewHeaderName);
        Assert.Equal(new RouteWeights(100, 0, false), weights);

        var canary = stableOnly with { Canary = new KubeTrack("sha256:" + new string('b', 64), "1.4.0", 1), CanaryWeight = 25, MigrationTarget = 4 };
        objects = Objects(ChartHarness.RenderOk(ChartValues.Render(c, s, canary)));
        route = objects.Single(o => Kind(o) == "HTTPRoute");
        Assert.Equal(new RouteWeights(75, 25, true), KubeJson.ParseHttpRoute(route.ToJsonString(), s.StableName, s.CanaryName, s.PreviewHeaderName));
        var pods = objects.Single(o => Kind(o) == "Deployment" && Name(o) == "orders-canary")["spec"]!["template"]!["metadata"]!["labels"]!;
        Assert.Equal(("orders", "canary"), (pods["app.kubernetes.io/instance"]!.GetValue<string>(), pods["track"]!.GetValue<string>()));
        // The migration Job runs the newest image (the canary's digest) to the pipeline's target.
        var job = objects.Single(o => Kind(o) == "Job")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.EndsWith("@sha256:" + new string('b', 64), job["image"]!.GetValue<string>());
        Assert.Equal(["migrate", "--to", "4"], job["args"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Hooks_are_the_migration_job_the_external_secret_before_it_and_the_helm_test()
    {
        var hooks = Objects(ChartHarness.RenderOk(ChartHarness.SampleValues("dev")))
            .Where(o => o["metadata"]!["annotations"]?["helm.sh/hook"] is not null)
            .Select(o => (Kind(o), o["metadata"]!["annotations"]!["helm.sh/hook"]!.GetValue<string>(), o["metadata"]!["annotations"]!["helm.sh/hook-weight"]?.GetValue<string>()))
            .OrderBy(h => h.Item1).ToList();
        // The ExternalSecret (weight -5) precedes the Job (0): on a first install the Job needs the password Secret.
        Assert.Equal([("ExternalSecret", "pre-install,pre-upgrade", "-5"), ("Job", "pre-install,pre-upgrade", "0"), ("Pod", "test", null)], hooks);
    }

    [Fact]
    public void No_digest_fails_the_render_with_a_clear_message()
    {
        var values = ChartHarness.SampleValues("dev").Replace("sha256:" + new string('1', 64), "");
        var (exit, _, error) = ChartHarness.Template(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("stable.digest is required: images are deployed by digest only", error);
    }

    [Fact]
    public void A_tagged_repository_fails_the_render()
    {
        var values = ChartHarness.SampleValues("dev").Replace("registry.dev.orders.internal/orders-api\"", "registry.dev.orders.internal/orders-api:1.3.0\"");
        var (exit, _, error) = ChartHarness.Template(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("must not carry a tag or digest", error);
    }

    [Fact]
    public void Grace_shorter_than_prestop_drain_and_shutdown_fails_the_render()
    {
        var values = ChartHarness.SampleValues("dev").Replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 28");
        var (exit, _, error) = ChartHarness.Template(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("lifecycle.terminationGracePeriodSeconds (28) must exceed preStopSleepSeconds + drainDelaySeconds + shutdownTimeoutSeconds (3 + 5 + 20 = 28)", error);
    }

    [Fact]
    public void Values_of_one_environment_refuse_another_namespace()
    {
        var (exit, _, error) = ChartHarness.Template(ChartHarness.SampleValues("staging"), "orders-prod");
        Assert.NotEqual(0, exit);
        Assert.Contains("generated for namespace \"orders-staging\"", error);
    }

    [Fact]
    public void The_chart_never_takes_the_password_from_plain_values()
    {
        // No source at all: refused (there is no "password:" value to fall back on).
        var values = ChartHarness.SampleValues("dev").Replace("      enabled: true\n      refreshInterval", "      enabled: false\n      refreshInterval");
        var (exit, _, error) = ChartHarness.Template(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("the chart never creates a Secret from plain values", error);
        // A password value is not even accepted by the schema.
        (exit, _, error) = ChartHarness.Template(ChartHarness.SampleValues("dev").Replace("  password:\n", "  password:\n    value: \"hunter2\"\n"));
        Assert.NotEqual(0, exit);
        Assert.Contains("value", error);
    }

    [Fact]
    public void A_weight_without_a_canary_fails_the_render()
    {
        var c = ChartHarness.Config("dev");
        var values = ChartValues.Render(c, ChartHarness.Settings(c), new KubeDesired(new KubeTrack("sha256:" + new string('a', 64), "1.3.0", 2), null, 0))
            .Replace("canaryWeight: 0", "canaryWeight: 10");
        var (exit, _, error) = ChartHarness.Template(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("no canary track", error);
    }
}
