using Pipeline.Config;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost;

public sealed class DriftCompareTests
{
    private static readonly SingleHostLayout Layout = new(ConfigLoader.Parse(TestEnvironmentFile.Yaml("unit", replicas: 2), "/e/unit.yaml", "unit"), "/s");
    private static readonly ReleaseImage Old = new("reg/app@sha256:" + new string('1', 64), "1.1.0");

    private static AppInstance Instance(int slot, ReleaseImage image) =>
        new($"orders-unit-s{slot}", slot, image.Image, "id1", image.Version, true, new Dictionary<string, string>());

    private static LbServer Server(int slot, int weight = 100, string status = "UP") => new("app", $"s{slot}", status, weight, 0, 0, 0);

    private static ObservedState Observed(IReadOnlyList<AppInstance>? instances = null, IReadOnlyList<LbServer>? servers = null, int schema = 3) =>
        new(instances ?? [Instance(0, Old), Instance(1, Old)], [], servers ?? [Server(0), Server(1), Server(2, 100, "MAINT")], schema, (2, 3), true, true, true, true);

    private static readonly DeclaredState Declared = new(Old, null, 0, 2, "id1", null);

    [Fact]
    public void What_was_declared_running_is_no_drift() => Assert.Empty(DriftDetector.Compare(Declared, Observed(), Layout).Differences);

    [Fact]
    public void A_hand_changed_weight_is_drift() =>
        Assert.Contains("haproxy app/s1: weight 7, declared 100 (stable)", DriftDetector.Compare(Declared, Observed(servers: [Server(0), Server(1, 7)]), Layout).Differences);

    [Fact]
    public void An_instance_of_another_image_is_drift()
    {
        var other = new ReleaseImage("reg/app@sha256:" + new string('9', 64), "9.9.9");
        var d = DriftDetector.Compare(Declared, Observed(instances: [Instance(0, Old), Instance(1, other)]), Layout).Differences;
        Assert.Contains(d, x => x.StartsWith("container orders-unit-s1: runs reg/app@sha256:999", StringComparison.Ordinal));
        Assert.Contains("instances of 1.1.0: declared 2, running 1", d);
    }

    [Fact]
    public void An_enabled_server_without_an_instance_and_a_changed_schema_are_drift()
    {
        var d = DriftDetector.Compare(Declared, Observed(servers: [Server(0), Server(1), Server(5)], schema: 4), Layout).Differences;
        Assert.Contains(d, x => x.Contains("app/s5: enabled"));
        Assert.Contains(d, x => x.StartsWith("database schema: version 4, outside 2–3", StringComparison.Ordinal));
    }
}
