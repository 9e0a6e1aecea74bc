using Pipeline.Config;
using Pipeline.Drill.Contrast;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.Drill.Contrast;

public sealed class HaproxyWithoutRetriesTests
{
    private static string Rendered()
    {
        var c = ConfigLoader.Parse(TestEnvironmentFile.Yaml("unit"), "/envs/unit.yaml", "unit");
        return HaproxyConfig.Render(new SingleHostLayout(c, "/state/unit"));
    }

    [Fact]
    public void The_declared_configuration_retries_and_the_contrast_removes_exactly_that()
    {
        var declared = Rendered();
        Assert.Contains("    retries 2\n    retry-on conn-failure empty-response\n    option redispatch\n", declared);
        var stripped = HaproxyWithoutRetries.Strip(declared);
        Assert.Contains("defaults\n    retries 0\n", stripped);
        Assert.DoesNotContain("retry-on", stripped);
        Assert.DoesNotContain("redispatch", stripped);
        Assert.DoesNotContain("retries 2", stripped);
        // Nothing else changes: same lines apart from the three removed and the one added.
        Assert.Equal(declared.Split('\n').Length - 3 + 1, stripped.Split('\n').Length);
    }

    [Fact]
    public void A_configuration_without_retries_is_refused_rather_than_a_contrast_that_removes_nothing() =>
        Assert.Throws<InvalidOperationException>(() => HaproxyWithoutRetries.Strip("global\n\ndefaults\n    mode http\n"));
}
