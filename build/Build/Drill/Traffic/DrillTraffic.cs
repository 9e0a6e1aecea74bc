using Pipeline.Config;
using Pipeline.SingleHost.Traffic;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// The drill's traffic side, running from its first phase to its last: the open-loop load tester (every attempt
/// kept, failed writes retried with their key), the readiness/liveness sampler, CPU steal per second and the
/// idempotency-keys table size. The phases read it live (<see cref="Between"/>); the report reads all of it at the end.
/// </summary>
public sealed class DrillTraffic : IDrillTraffic
{
    /// <summary>The load: 200 requests/s, 80 % reads, 20 % idempotent writes.</summary>
    public static LoadTestConfig DefaultLoad(int maxSeconds) =>
        new() { RatePerSecond = 200, WriteRatio = 0.2, Paths = ["/orders?limit=5"], MaxSeconds = maxSeconds };

    private readonly RequestLog _log = new();
    private readonly LoadTester _tester;
    private readonly ReadinessSampler _readiness;
    private readonly StealSampler _steal;
    private readonly KeyCountSampler? _keys;
    private readonly IDisposable? _watch;
    private TrafficReport? _summary;

    private DrillTraffic(Uri loadBalancer, LoadTestConfig load, DrillProbes probes, WriteRetry retry)
    {
        _steal = new StealSampler(probes.ReadCpu);
        _readiness = new ReadinessSampler(probes.Discover, probes.ReadinessInterval);
        _watch = probes.Watch;
        _keys = probes.CountKeys is null ? null : new KeyCountSampler(probes.CountKeys, probes.KeyCountInterval);
        _tester = LoadTester.Start(loadBalancer, load, options: new LoadTesterOptions(retry, _log.Add));
        Load = load;
    }

    /// <summary>Starts all of it against <paramref name="loadBalancer"/> (loopback only, as the load tester requires).</summary>
    public static DrillTraffic Start(Uri loadBalancer, LoadTestConfig load, DrillProbes probes, WriteRetry? retry = null) =>
        new(loadBalancer, load, probes, retry ?? WriteRetry.Client);

    public LoadTestConfig Load { get; }

    /// <summary>When request 0 was due: the drill's time zero.</summary>
    public DateTimeOffset StartedAt => _tester.StartedAt;

    public IReadOnlyList<RequestRecord> Between(DateTimeOffset from, DateTimeOffset to) => _log.Between(from, to);

    public IReadOnlyList<RequestRecord> Records => _log.All();

    public int RequestCount => _log.Count;

    public int FailedCount => _log.FailedCount;

    public IReadOnlyList<ReadinessTransition> Readiness => _readiness.Readiness;

    /// <summary>The same lanes for /healthz/live (the database outage must leave them green).</summary>
    public IReadOnlyList<ReadinessTransition> Liveness => _readiness.Liveness;

    public IReadOnlyList<StealSample> Steal => _steal.Samples;

    public IReadOnlyList<KeyCountSample> KeyCounts => _keys?.Samples ?? [];

    public IReadOnlyList<string> SamplerErrors => _readiness.Errors;

    /// <summary>Stops the sender (answers still due are awaited, bounded) and the samplers; idempotent.</summary>
    public async Task<TrafficReport> StopAsync()
    {
        if (_summary is not null) return _summary;
        _summary = await _tester.StopAsync();
        await _readiness.DisposeAsync();
        _watch?.Dispose();
        await _steal.DisposeAsync();
        if (_keys is not null) await _keys.DisposeAsync();
        return _summary;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
