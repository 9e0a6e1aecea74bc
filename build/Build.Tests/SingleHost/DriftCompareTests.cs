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

    private static AppInstance Stranger(string name, string image, int[]? ports = null, string? env = null) =>
        new(name, null, image, "id9", "", true, env is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [SingleHostLayout.EnvLabel] = env }, ports);

    [Fact]
    public void A_container_under_another_name_on_a_port_of_the_environment_is_foreign()
    {
        var port = Layout.PortOf(Layout.SlotCount - 1);
        var why = DriftDetector.ForeignReasons(Stranger("web-test", "docker.io/nginx:1", [port]), Layout, new HashSet<string>());
        Assert.Equal([$"publishes port {port}, one of this environment's ports"], why);
        Assert.Contains(DriftDetector.ForeignReasons(Stranger("x", "nginx", [Layout.Config.SingleHost.StatsPort]), Layout, new HashSet<string>()), r => r.StartsWith("publishes port"));
        Assert.Empty(DriftDetector.ForeignReasons(Stranger("x", "nginx", [Layout.PortOf(Layout.SlotCount)]), Layout, new HashSet<string>()));
    }

    [Fact]
    public void A_container_of_the_declared_image_or_repository_is_foreign_unless_another_environment_owns_it()
    {
        var declared = new HashSet<string> { Old.Image };
        Assert.Equal(["runs this environment's image"], DriftDetector.ForeignReasons(Stranger("copy", Old.Image), Layout, declared));
        var repo = $"{Layout.Config.Image.Registry}/{Layout.Config.Image.Repository}";
        Assert.Equal(["runs this environment's image"], DriftDetector.ForeignReasons(Stranger("copy", repo + ":latest"), Layout, declared));
        Assert.Empty(DriftDetector.ForeignReasons(Stranger("orders-other-s0", Old.Image, env: "other"), Layout, declared));
    }

    [Fact]
    public void Foreign_containers_and_schema_lines_are_reported_readably()
    {
        var stranger = new ForeignContainer(Stranger("web-test", "nginx", [18000]), ["publishes port 18000, one of this environment's ports"]);
        var o = Observed() with { Foreign = [stranger], SchemaDifferences = ["database schema: column orders.x integer — in the database, but not declared by migrations 1–3"] };
        var d = DriftDetector.Compare(Declared, o, Layout).Differences;
        Assert.Contains("container web-test: publishes port 18000, one of this environment's ports (not an instance of this environment; started out of band, image nginx)", d);
        Assert.Contains("database schema: column orders.x integer — in the database, but not declared by migrations 1–3", d);
    }

    [Fact]
    public void Schema_diff_names_each_line_on_one_side_only()
    {
        var declared = new[] { "table orders", "column orders.id bigint not null", "index orders.orders_pkey CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)" };
        var actual = new[] { "table orders", "column orders.id bigint not null", "column orders.x integer" };
        Assert.Equal([
            "database schema: column orders.x integer — in the database, but not declared by migrations 1–3",
            "database schema: index orders.orders_pkey CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id) — declared by migrations 1–3, missing from the database",
        ], SchemaCatalog.Diff(declared, actual, 3));
        Assert.Empty(SchemaCatalog.Diff(declared, declared, 3));
    }
}
