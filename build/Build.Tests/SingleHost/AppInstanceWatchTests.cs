using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

public sealed class AppInstanceWatchTests
{
    // Recorded from podman 4.3.1 on this host (`podman events --format json`), attributes shortened.
    private static string Event(string name, string status, int? slot = null) =>
        "{\"ID\":\"169852c895682f71\",\"Image\":\"localhost:5000/orders-api@sha256:9935\",\"Name\":\"" + name + "\",\"Status\":\"" + status +
        "\",\"Time\":\"2026-12-07T12:08:23.761566102Z\",\"Type\":\"container\",\"Attributes\":{\"io.orders-release.env\":\"local\"" +
        (slot is { } s ? ",\"io.orders-release.slot\":\"" + s + "\"" : "") + ",\"io.orders-release.version\":\"1.1.0\"}}";

    private static AppInstance Listed(string name, int slot, bool running = true) =>
        new(name, slot, "img", "id", "1.1.0", running, new Dictionary<string, string>());

    private sealed class ScriptedStream : IToolStream
    {
        public int? ExitCode { get; set; }
        public string ErrorTail { get; set; } = "";
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    /// <summary>A runner that only streams: hands back the line callback, so a test plays podman's events.</summary>
    private sealed class StreamingRunner : IToolRunner
    {
        public List<ToolCommand> Streamed { get; } = [];
        public List<ScriptedStream> Streams { get; } = [];
        public Action<string> Emit { get; private set; } = _ => throw new InvalidOperationException("no stream started");
        public bool DryRun => false;
        public IReadOnlyList<ToolCommand> History => Streamed;
        public ToolResult Run(ToolCommand command, bool allowFailure = false, TimeSpan? timeout = null) => throw new InvalidOperationException($"unexpected: {command}");
        public int StartDetached(ToolCommand command, string logFile) => throw new InvalidOperationException($"unexpected: {command}");
        public string? Find(string tool) => tool;

        public IToolStream Stream(ToolCommand command, Action<string> onLine)
        {
            Streamed.Add(command);
            Emit = onLine;
            var s = new ScriptedStream();
            Streams.Add(s);
            return s;
        }
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 8, 30, TimeSpan.Zero);

    [Fact]
    public void The_events_command_is_exact() =>
        Assert.Equal("podman --runtime=runc --cgroup-manager=cgroupfs events --since 2026-12-07T12:08:25Z --filter type=container --filter label=io.orders-release.env=local --format json",
            Podman.ContainerEvents("io.orders-release.env=local", Now - TimeSpan.FromSeconds(5)).ToString());

    [Fact]
    public void One_listing_seeds_it_and_the_stream_starts_before_that_listing()
    {
        var runner = new StreamingRunner();
        var lists = 0;
        using var watch = new AppInstanceWatch(runner, "local", () => { lists++; return [Listed("orders-local-s1", 1), Listed("orders-local-s0", 0), Listed("orders-local-s2", 2, running: false)]; }, () => Now);

        Assert.Equal([new WatchedInstance("orders-local-s0", 0), new WatchedInstance("orders-local-s1", 1)], watch.Running());
        watch.Running();
        Assert.Equal(1, lists);
        Assert.Equal(Podman.ContainerEvents("io.orders-release.env=local", Now - AppInstanceWatch.Overlap), Assert.Single(runner.Streamed));
    }

    [Fact]
    public void Start_adds_an_instance_and_died_or_remove_takes_it_away()
    {
        var runner = new StreamingRunner();
        using var watch = new AppInstanceWatch(runner, "local", () => [Listed("orders-local-s0", 0)], () => Now);
        watch.Running();

        runner.Emit(Event("orders-local-s3", "create", 3));
        runner.Emit(Event("orders-local-s3", "init", 3));
        Assert.Equal(["orders-local-s0"], watch.Running().Select(i => i.Name));
        runner.Emit(Event("orders-local-s3", "start", 3));
        Assert.Equal([new WatchedInstance("orders-local-s0", 0), new WatchedInstance("orders-local-s3", 3)], watch.Running());

        runner.Emit(Event("orders-local-s0", "died", 0));
        Assert.Equal(["orders-local-s3"], watch.Running().Select(i => i.Name));
        runner.Emit(Event("orders-local-s3", "remove", 3));
        Assert.Empty(watch.Running());
    }

    // The stream replays the seconds before the listing: what the listing already shows must stay as it is, and a
    // container that died and came back under the same name is running.
    [Fact]
    public void Replayed_events_end_in_each_containers_last_state()
    {
        var runner = new StreamingRunner();
        using var watch = new AppInstanceWatch(runner, "local", () => [Listed("orders-local-s1", 1)], () => Now);
        watch.Running();
        runner.Emit(Event("orders-local-s1", "start", 1));
        runner.Emit(Event("orders-local-s4", "died", 4));
        runner.Emit(Event("orders-local-s4", "remove", 4));
        runner.Emit(Event("orders-local-s5", "died", 5));
        runner.Emit(Event("orders-local-s5", "start", 5));
        Assert.Equal(["orders-local-s1", "orders-local-s5"], watch.Running().Select(i => i.Name));
    }

    [Fact]
    public void Containers_without_a_slot_and_lines_that_are_not_container_events_change_nothing()
    {
        var runner = new StreamingRunner();
        using var watch = new AppInstanceWatch(runner, "local", () => [], () => Now);
        watch.Running();
        runner.Emit(Event("migrate-once", "start"));
        runner.Emit("time=\"2026-12-07T12:08:23Z\" level=warning msg=\"something\"");
        runner.Emit("{\"Name\":\"x\",\"Status\":\"start\",\"Type\":\"image\"}");
        runner.Emit("{not json");
        Assert.Empty(watch.Running());
        Assert.Null(AppInstanceWatch.Parse("{\"Type\":\"container\"}"));
        Assert.Equal(new AppInstanceWatch.ContainerEvent("orders-local-s3", "start", 3), AppInstanceWatch.Parse(Event("orders-local-s3", "start", 3)));
    }

    // A watch that silently ended would show the last instances forever: the next look fails with podman's words,
    // and the one after lists and watches again.
    [Fact]
    public void A_watch_that_ended_fails_loudly_and_then_starts_over()
    {
        var runner = new StreamingRunner();
        var listing = new List<AppInstance> { Listed("orders-local-s0", 0) };
        using var watch = new AppInstanceWatch(runner, "local", () => [.. listing], () => Now);
        watch.Running();
        runner.Streams[0].ExitCode = 125;
        runner.Streams[0].ErrorTail = "Error: reading events file: permission denied";

        var e = Assert.Throws<InvalidOperationException>(() => watch.Running());
        Assert.Contains("exit 125", e.Message, StringComparison.Ordinal);
        Assert.Contains("permission denied", e.Message, StringComparison.Ordinal);
        Assert.True(runner.Streams[0].Disposed);

        listing.Add(Listed("orders-local-s1", 1));
        Assert.Equal(["orders-local-s0", "orders-local-s1"], watch.Running().Select(i => i.Name));
        Assert.Equal(2, runner.Streamed.Count);
    }

    [Fact]
    public void Disposing_it_stops_the_stream()
    {
        var runner = new StreamingRunner();
        var watch = new AppInstanceWatch(runner, "local", () => [], () => Now);
        watch.Running();
        watch.Dispose();
        Assert.True(runner.Streams[0].Disposed);
        Assert.Throws<ObjectDisposedException>(() => watch.Running());
    }
}

/// <summary>The watch against real podman: its events, not a script, move instances in and out.</summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AppInstanceWatchIntegrationTests(TestImages images)
{
    [Fact]
    public void Podmans_events_bring_a_started_instance_in_and_take_a_stopped_one_out()
    {
        using var env = new SingleHostTestEnvironment("rolling", replicas: 1);
        env.UpWith(images.Old);
        var instances = new AppInstances(env.Session);
        var first = Assert.Single(instances.List(), i => i.Running);
        using var watch = new AppInstanceWatch(env.Runner, env.Session.Layout.Env, instances.List);
        Assert.Equal([first.Name], watch.Running().Select(i => i.Name));

        var slot = first.Slot!.Value + 1;
        instances.Start(slot, new ReleaseImage(images.Old, "1.1.0"));
        Poll.Until(() => (watch.Running().Any(i => i.Slot == slot), string.Join(", ", watch.Running())), TimeSpan.FromSeconds(10), $"the watch to see slot {slot} start");

        instances.Stop(first.Slot!.Value);
        Poll.Until(() => (watch.Running().All(i => i.Name != first.Name), string.Join(", ", watch.Running())), TimeSpan.FromSeconds(10), $"the watch to drop {first.Name} after it stopped");
        Assert.Equal([slot], watch.Running().Select(i => i.Slot));
    }
}
