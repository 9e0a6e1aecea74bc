using Pipeline.Tests.Charts.Support;

namespace Pipeline.Tests.Charts;

/// <summary>Every rendered object against its API schema (charts/validate/validate.mjs with the pinned kubernetes-models packages).</summary>
public class ChartSchemaTests
{
    private static (int, IReadOnlyList<string>) Validate(string manifest)
    {
        var file = Path.Combine(ChartHarness.OutDir, Guid.NewGuid().ToString("N") + ".rendered.yaml");
        File.WriteAllText(file, manifest);
        return new Pipeline.Charts.ChartValidation(ChartHarness.Runner, ChartHarness.Tools).Schemas(file);
    }

    [Theory]
    [InlineData("dev", "orders-dev")]
    [InlineData("staging", "orders-staging")]
    [InlineData("prod", "orders-prod")]
    public void Every_rendered_object_matches_its_api_schema(string env, string ns)
    {
        var (objects, errors) = Validate(ChartHarness.RenderOk(ChartHarness.SampleValues(env), ns));
        Assert.Empty(errors);
        Assert.Equal(16, objects);
    }

    [Fact]
    public void Invalid_objects_of_each_package_are_reported()
    {
        var manifest = ChartHarness.RenderOk(ChartHarness.SampleValues("dev"))
            .Replace("weight: 90", "weight: ninety")                      // Gateway API
            .Replace("interval: 15s", "interval: fifteen-seconds")        // prometheus-operator (dev scrapes every 15 s)
            .Replace("refreshInterval: 1h", "refreshInterval: [1h]")      // external-secrets
            .Replace("maxUnavailable: 1\n", "maxUnavailable: [1]\n");      // core (PodDisruptionBudget)
        Assert.Contains("interval: fifteen-seconds", manifest);           // each corruption really landed
        Assert.Contains("weight: ninety", manifest);
        var (_, errors) = Validate(manifest);
        Assert.Contains(errors, e => e.StartsWith("HTTPRoute/orders", StringComparison.Ordinal) && e.Contains("weight"));
        Assert.Contains(errors, e => e.StartsWith("PodMonitor/orders", StringComparison.Ordinal) && e.Contains("interval"));
        Assert.Contains(errors, e => e.StartsWith("ExternalSecret/orders-db", StringComparison.Ordinal) && e.Contains("refreshInterval"));
        Assert.Contains(errors, e => e.StartsWith("PodDisruptionBudget/orders-stable", StringComparison.Ordinal));
    }

    [Fact]
    public void An_object_without_a_schema_is_an_error()
    {
        var (_, errors) = Validate("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
        Assert.Equal(["Widget/w: no schema for example.com/v1 Widget"], errors);
    }
}
