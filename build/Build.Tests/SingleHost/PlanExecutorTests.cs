using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.Kubernetes.Support;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost;

/// <summary>The executor's own bookkeeping on a scripted runner (the releases themselves: ReleaseStrategyTests, against real podman and HAProxy).</summary>
public sealed class PlanExecutorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SingleHostSession Session(ClusterScript script)
    {
        File.WriteAllText(Path.Combine(_dir, "it-plan.yaml"), TestEnvironmentFile.Yaml("it-plan"));
        var config = ConfigLoader.Load(_dir, "it-plan", honourOverride: false);
        return new SingleHostSession(config, Path.Combine(_dir, "state"), script, new RunRecord(), TestCake.Create().Log, "test");
    }

    private static readonly ReleaseImage Old = new("localhost:5000/orders-api@sha256:" + new string('1', 64), "1.1.0");
    private static readonly ReleaseImage New = new("localhost:5000/orders-api@sha256:" + new string('2', 64), "1.2.0");

    // Every `podman ps` is ~0.12 CPU-s on the 2-core host, in the seconds the drill judges the cutover.
    [Fact]
    public async Task A_promote_lists_the_instances_once_after_retiring_the_old_set()
    {
        var script = new ClusterScript();
        var session = Session(script);
        await new PlanExecutor(session, new ReleaseState(Old, New)).RunAsync([new StopInstance(0), new StopInstance(1), new MarkStable()]);
        Assert.Single(script.Commands("podman"), c => c.Contains(" ps ", StringComparison.Ordinal));
        Assert.Equal(New, ReleaseState.Load(session.Layout.ReleaseStateFile).Stable);
    }

    [Fact]
    public async Task Retiring_without_a_mark_stable_after_it_still_updates_the_scrape_targets()
    {
        var script = new ClusterScript();
        var session = Session(script);
        await new PlanExecutor(session, new ReleaseState(Old, New)).RunAsync([new StopInstance(0)]);
        Assert.Single(script.Commands("podman"), c => c.Contains(" ps ", StringComparison.Ordinal));
        Assert.True(File.Exists(session.Layout.PrometheusTargets));
    }

    private static string Container(string name, string env, int slot, ReleaseImage image, int port) =>
        $$"""{"Names":["{{name}}"],"Image":"{{image.Image}}","ImageID":"x","State":"running","Labels":{"io.orders-release.env":"{{env}}","io.orders-release.slot":"{{slot}}","io.orders-release.image":"{{image.Image}}","io.orders-release.version":"{{image.Version}}"},"Ports":[{"host_ip":"127.0.0.1","container_port":8080,"host_port":{{port}},"range":1,"protocol":"tcp"}]}""";

    [Fact]
    public async Task Started_instances_reach_the_scrape_targets_without_listing_again()
    {
        var script = new ClusterScript();
        var session = Session(script);
        var l = session.Layout;
        // s0 serves the old release; a look-alike of another environment must not become a target.
        script.On("ps --all --format json", $"[{Container(l.ContainerOf(0), l.Env, 0, Old, l.PortOf(0))},{Container("orders-other-s1", "other", 1, Old, 19999)}]");
        await new PlanExecutor(session, new ReleaseState(Old, New)).RunAsync([new StartInstance(3)]);
        Assert.Single(script.Commands("podman"), c => c.Contains(" ps ", StringComparison.Ordinal));
        var targets = System.Text.Json.JsonDocument.Parse(File.ReadAllText(l.PrometheusTargets)).RootElement.EnumerateArray()
            .Select(t => (t.GetProperty("targets")[0].GetString(), t.GetProperty("labels").GetProperty("version").GetString(), t.GetProperty("labels").GetProperty("track").GetString()))
            .ToList();
        Assert.Equal([($"127.0.0.1:{l.PortOf(0)}", "1.1.0", "stable"), ($"127.0.0.1:{l.PortOf(3)}", "1.2.0", "canary")], targets);
    }
}
