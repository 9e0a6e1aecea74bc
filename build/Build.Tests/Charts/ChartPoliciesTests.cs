using System.Text.Json.Nodes;
using Pipeline.Charts;
using Pipeline.Kubernetes;
using Pipeline.Tests.Charts.Support;

namespace Pipeline.Tests.Charts;

/// <summary>
/// The rendered-output policies: each environment's render passes, and each policy fails on a bad chart (the
/// rendered objects edited the way a bad template edit would render them) or bad values.
/// </summary>
public class ChartPoliciesTests
{
    private static readonly Lazy<string> DevManifest = new(() => ChartHarness.RenderOk(ChartHarness.SampleValues("dev")));

    private static List<JsonObject> Dev() => ValuesYaml.ParseAll(DevManifest.Value).Select(o => (JsonObject)o.DeepClone()).ToList();

    private static JsonObject Deployment(List<JsonObject> objects, string name = "orders-stable") =>
        objects.Single(o => o["kind"]!.GetValue<string>() == "Deployment" && o["metadata"]!["name"]!.GetValue<string>() == name);

    private static JsonNode Container(List<JsonObject> objects) => Deployment(objects)["spec"]!["template"]!["spec"]!["containers"]![0]!;

    private static IReadOnlyList<string> Policies(List<JsonObject> objects) => ChartPolicies.Check(objects).Select(v => v.Policy).Distinct().ToList();

    [Theory]
    [InlineData("dev", "orders-dev")]
    [InlineData("staging", "orders-staging")]
    [InlineData("prod", "orders-prod")]
    public void Every_environment_passes_every_policy(string env, string ns) =>
        Assert.Empty(ChartPolicies.Check(ChartHarness.RenderOk(ChartHarness.SampleValues(env), ns)));

    [Fact]
    public void Tag_only_image_fails_digest_pinning()
    {
        var o = Dev();
        Container(o)["image"] = "registry.dev.orders.internal/orders-api:1.3.0";
        Assert.Equal(["digest-pinned"], Policies(o));
    }

    [Fact]
    public void Liveness_on_the_readiness_path_fails()
    {
        var o = Dev();
        Container(o)["livenessProbe"]!["httpGet"]!["path"] = "/healthz/ready";
        Assert.Equal(["probes-distinct"], Policies(o));
    }

    [Fact]
    public void Liveness_on_another_database_touching_path_fails()
    {
        var o = Dev();
        Container(o)["livenessProbe"]!["httpGet"]!["path"] = "/orders?limit=1";
        Assert.Equal(["liveness-not-database"], Policies(o));
    }

    [Fact]
    public void A_missing_probe_fails()
    {
        var o = Dev();
        ((JsonObject)Container(o)).Remove("startupProbe");
        Assert.Equal(["probes-present"], Policies(o));
    }

    [Fact]
    public void Grace_shorter_than_prestop_plus_drain_plus_shutdown_fails()
    {
        var o = Dev();
        // 3 + 5 + 20 = 28: a grace of 28 kills the last in-flight requests.
        Deployment(o)["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"] = 28;
        var v = ChartPolicies.Check(o).Single();
        Assert.Equal("grace-arithmetic", v.Policy);
        Assert.Contains("terminationGracePeriodSeconds 28 ≤ preStop 3 + drain 5 + shutdown 20", v.Message);
    }

    [Fact]
    public void Surge_zero_or_unavailable_nonzero_fails()
    {
        var o = Dev();
        Deployment(o)["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"] = 1;
        Assert.Equal(["surge-unavailable"], Policies(o));
    }

    [Theory]
    [InlineData("readOnlyRootFilesystem", false)]
    [InlineData("allowPrivilegeEscalation", true)]
    public void A_weakened_container_security_context_fails(string key, bool value)
    {
        var o = Dev();
        Container(o)["securityContext"]![key] = value;
        Assert.Equal(["security-context"], Policies(o));
    }

    [Fact]
    public void A_service_account_token_fails()
    {
        var o = Dev();
        Deployment(o)["spec"]!["template"]!["spec"]!["automountServiceAccountToken"] = true;
        Assert.Equal(["security-context"], Policies(o));
    }

    [Fact]
    public void Missing_pdb_or_default_deny_fails()
    {
        var o = Dev().Where(x => x["kind"]!.GetValue<string>() is not ("PodDisruptionBudget" or "NetworkPolicy")).ToList();
        Assert.Equal(["pdb-present", "network-deny-by-default"], Policies(o));
    }

    [Fact]
    public void A_secret_with_literal_data_or_a_password_env_fails()
    {
        var o = Dev();
        o.Add(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"orders-db"},"stringData":{"password":"hunter2"}}""")!.AsObject());
        ((JsonArray)Container(o)["env"]!).Add(JsonNode.Parse("""{"name":"ORDERS_DB_PASSWORD","value":"hunter2"}"""));
        var v = ChartPolicies.Check(o);
        Assert.Equal(2, v.Count);
        Assert.All(v, x => Assert.Equal("no-literal-secrets", x.Policy));
    }
}
