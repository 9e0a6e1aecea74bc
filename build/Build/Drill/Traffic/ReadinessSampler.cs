using System.Diagnostics;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// Polls every instance's /healthz/ready and /healthz/live directly every 250 ms and keeps the transitions only.
/// Directly, not through the LB: the drill has to show readiness red during startup (until the pool opened), red
/// during drain and red during a database outage while liveness stays green — through the LB a not-ready instance
/// is simply invisible. Instances come from <paramref name="discover"/> (podman ps on single-host), re-read every
/// second; one that disappears is "gone". Anything but a 200 (timeout, refused, 503) is "not-ready"/"not-live".
/// </summary>
public sealed class ReadinessSampler : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private readonly Func<CancellationToken, Task<IReadOnlyList<ProbeTarget>>> _discover;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _rediscover;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<string, string> _ready = [];
    private readonly Dictionary<string, string> _live = [];
    private readonly List<ReadinessTransition> _readiness = [];
    private readonly List<ReadinessTransition> _liveness = [];
    private readonly List<string> _errors = [];

    /// <param name="probeTimeout">Default <see cref="ProbeTimeout"/>; only a test of the bookkeeping, not of timing, sets more.</param>
    public ReadinessSampler(Func<CancellationToken, Task<IReadOnlyList<ProbeTarget>>> discover, TimeSpan? interval = null, TimeSpan? rediscover = null,
        TimeSpan? probeTimeout = null)
    {
        _discover = discover;
        _interval = interval ?? DefaultInterval;
        _rediscover = rediscover ?? TimeSpan.FromSeconds(1);
        // HAProxy's own check gives up after 1 s (timeout check 1s): a probe slower than that is red for the LB too.
        var timeout = probeTimeout ?? ProbeTimeout;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = timeout })
            { Timeout = timeout };
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    public IReadOnlyList<ReadinessTransition> Readiness
    {
        get { lock (_readiness) return [.. _readiness]; }
    }

    public IReadOnlyList<ReadinessTransition> Liveness
    {
        get { lock (_readiness) return [.. _liveness]; }
    }

    /// <summary>Discovery failures (podman ps failing): reported, never silently an empty environment.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_readiness) return [.. _errors]; }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        IReadOnlyList<ProbeTarget> targets = [];
        var sinceDiscovery = Stopwatch.StartNew();
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            var tick = Stopwatch.StartNew();
            if (first || sinceDiscovery.Elapsed >= _rediscover)
            {
                try
                {
                    targets = await _discover(ct);
                    MarkGone(targets);
                    // Measured here: the first probes of a cold process take over a second (JIT, first connections)
                    // and would draw every instance red at the drill's start. One discarded round warms the client.
                    if (first) await Task.WhenAll(targets.Select(t => ProbeAsync(t, "/healthz/live", ct)));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    lock (_readiness) if (_errors.Count < 20) _errors.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} discovery: {e.Message}");
                }
                sinceDiscovery.Restart();
                first = false;
            }
            var at = DateTimeOffset.UtcNow;
            var probes = targets.Select(async t =>
            {
                var ready = ProbeAsync(t, "/healthz/ready", ct);
                var live = ProbeAsync(t, "/healthz/live", ct);
                return (t, ready: await ready, live: await live);
            }).ToList();
            foreach (var (t, ready, live) in await Task.WhenAll(probes))
            {
                Observe(_ready, _readiness, at, t.Instance, ready ? InstanceState.Ready : InstanceState.NotReady);
                Observe(_live, _liveness, at, t.Instance, live ? InstanceState.Live : InstanceState.NotLive);
            }
            var wait = _interval - tick.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task<bool> ProbeAsync(ProbeTarget target, string path, CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(target.BaseAddress, path), ct);
            return (int)response.StatusCode == 200;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { return false; }
    }

    private void MarkGone(IReadOnlyList<ProbeTarget> listed)
    {
        var names = listed.Select(t => t.Instance).ToHashSet(StringComparer.Ordinal);
        var at = DateTimeOffset.UtcNow;
        List<string> gone;
        lock (_readiness) gone = [.. _ready.Keys.Where(n => !names.Contains(n))];
        foreach (var name in gone)
        {
            Observe(_ready, _readiness, at, name, InstanceState.Gone);
            Observe(_live, _liveness, at, name, InstanceState.Gone);
        }
    }

    private void Observe(Dictionary<string, string> states, List<ReadinessTransition> lane, DateTimeOffset at, string instance, string state)
    {
        lock (_readiness)
        {
            var from = states.GetValueOrDefault(instance, InstanceState.Unseen);
            if (from == state) return;
            // Kept when gone: a slot's container name is reused by the next release, whose lane continues gone → not-ready.
            states[instance] = state;
            lane.Add(new ReadinessTransition(at, instance, from, state));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop; } catch (OperationCanceledException) { }
        _http.Dispose();
    }
}
