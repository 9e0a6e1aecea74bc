using System.Net;
using Pipeline.Drill.Traffic;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Drill.Traffic;

/// <summary>The sampler against tiny loopback HTTP servers whose /healthz/ready and /healthz/live are flipped by the test.</summary>
public sealed class ReadinessSamplerTests
{
    private sealed class FlippableInstance : IDisposable
    {
        private readonly HttpListener _listener = new();
        public volatile bool Ready;
        public volatile bool Live = true;
        public int Port { get; } = FreePorts.One();
        public ProbeTarget Target(string name) => new(name, new Uri($"http://127.0.0.1:{Port}"));

        public FlippableInstance()
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext c;
                    try { c = await _listener.GetContextAsync(); } catch (Exception) { return; }
                    var up = c.Request.Url!.AbsolutePath switch { "/healthz/ready" => Ready, "/healthz/live" => Live, _ => false };
                    c.Response.StatusCode = up ? 200 : 503;
                    c.Response.Close();
                }
            });
        }

        public void Dispose() { _listener.Stop(); _listener.Close(); }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not seen within 10 s: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task It_records_each_transition_once_per_lane_and_an_instance_that_disappears_as_gone()
    {
        using var a = new FlippableInstance();
        // Both start not ready (as a starting app does; a cold first probe that times out reads the same).
        using var b = new FlippableInstance();
        var listed = new List<ProbeTarget> { a.Target("s0"), b.Target("s1") };
        await using var sampler = new ReadinessSampler(_ => { lock (listed) return Task.FromResult<IReadOnlyList<ProbeTarget>>([.. listed]); },
            // A probe of the test process stalled past the 1 s timeout about once in 30 runs (none in 40 at 5 s) and
            // drew a healthy instance red: this test is about the bookkeeping of transitions, not about the timeout.
            interval: TimeSpan.FromMilliseconds(50), rediscover: TimeSpan.FromMilliseconds(50), probeTimeout: TimeSpan.FromSeconds(5));

        await Until(() => sampler.Readiness.Count(t => t.Instance == "s0") == 1 && sampler.Readiness.Any(t => t.Instance == "s1"), "first observations");
        a.Ready = true;                                   // the pool opened
        b.Ready = true;
        await Until(() => sampler.Readiness.Any(t => t is { Instance: "s0", To: InstanceState.Ready }), "s0 ready");
        a.Ready = false;                                  // database outage: readiness red, liveness green
        await Until(() => sampler.Readiness.Count(t => t.Instance == "s0") == 3, "s0 not ready again");
        await Task.Delay(300);                            // a steady state adds nothing
        a.Ready = true;
        await Until(() => sampler.Readiness.Count(t => t.Instance == "s0") == 4, "s0 back");
        lock (listed) listed.RemoveAt(1);                 // s1's container removed
        await Until(() => sampler.Readiness.Any(t => t is { Instance: "s1", To: InstanceState.Gone }), "s1 gone");
        b.Live = false;                                   // a gone instance is not probed any more
        await Task.Delay(300);

        Assert.Equal(
            [(InstanceState.Unseen, InstanceState.NotReady), (InstanceState.NotReady, InstanceState.Ready),
             (InstanceState.Ready, InstanceState.NotReady), (InstanceState.NotReady, InstanceState.Ready)],
            sampler.Readiness.Where(t => t.Instance == "s0").Select(t => (t.From, t.To)));
        Assert.Equal([(InstanceState.Unseen, InstanceState.NotReady), (InstanceState.NotReady, InstanceState.Ready), (InstanceState.Ready, InstanceState.Gone)],
            sampler.Readiness.Where(t => t.Instance == "s1").Select(t => (t.From, t.To)));
        // Liveness never moved while readiness flipped; s1's lane ends gone, not not-live.
        Assert.Equal([(InstanceState.Unseen, InstanceState.Live)], sampler.Liveness.Where(t => t.Instance == "s0").Select(t => (t.From, t.To)));
        Assert.Equal([(InstanceState.Unseen, InstanceState.Live), (InstanceState.Live, InstanceState.Gone)],
            sampler.Liveness.Where(t => t.Instance == "s1").Select(t => (t.From, t.To)));
        Assert.True(sampler.Readiness.Zip(sampler.Readiness.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task A_listed_instance_that_refuses_connections_is_not_ready_and_not_live_and_discovery_errors_are_kept()
    {
        var closed = FreePorts.One();
        var calls = 0;
        await using var sampler = new ReadinessSampler(_ => Interlocked.Increment(ref calls) == 2
                ? throw new InvalidOperationException("podman ps failed")
                : Task.FromResult<IReadOnlyList<ProbeTarget>>([new ProbeTarget("s5", new Uri($"http://127.0.0.1:{closed}"))]),
            interval: TimeSpan.FromMilliseconds(50), rediscover: TimeSpan.FromMilliseconds(50));
        await Until(() => sampler.Errors.Count > 0 && sampler.Liveness.Count > 0, "probe and discovery error");
        Assert.Equal([(InstanceState.Unseen, InstanceState.NotReady)], sampler.Readiness.Select(t => (t.From, t.To)));
        Assert.Equal([(InstanceState.Unseen, InstanceState.NotLive)], sampler.Liveness.Select(t => (t.From, t.To)));
        Assert.Contains("podman ps failed", sampler.Errors[0]);
    }
}
