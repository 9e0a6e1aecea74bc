using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Pipeline.Config;

namespace Pipeline.SingleHost.Traffic;

/// <summary>
/// Open-loop load generator (Flagger's load tester, in process): request i is sent at start + i/rate, timed
/// from that scheduled moment, without waiting for earlier answers. `hey -q` sends in bursts per worker, which
/// makes per-second counts and the canary's share jumpy; this spaces every request evenly. Bounded by time
/// (MaxSeconds) and so by count, by in-flight requests, and to loopback addresses only.
/// </summary>
public sealed class LoadTester : IAsyncDisposable
{
    private const int MaxInFlight = 512;
    private readonly Uri _target;
    private readonly LoadTestConfig _config;
    private readonly string _runId;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<int, Bucket> _seconds = [];
    private readonly List<string> _failures = [];
    private readonly List<Task> _inFlight = [];
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _pending;
    private long _sent, _writes;
    private double _maxLagMs;
    private TrafficReport? _report;

    private sealed class Bucket
    {
        public int Ok, Failed;
        public readonly List<double> Latencies = [];
        public readonly Dictionary<string, int> Versions = [];
    }

    private LoadTester(Uri target, LoadTestConfig config, TimeSpan maxDuration, string runId)
    {
        _target = target;
        _config = config;
        _runId = runId;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // Short-lived connections: new instances joining the LB get their share soon, not only new clients.
            PooledConnectionLifetime = TimeSpan.FromSeconds(2),
            MaxConnectionsPerServer = MaxInFlight,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        }) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(10) };
        _loop = Task.Run(() => SendLoopAsync(LoadSchedule.MaxRequests(config.RatePerSecond, maxDuration), _stop.Token));
    }

    /// <summary>Starts sending to <paramref name="target"/> (a loopback address: this never loads someone else's host).</summary>
    public static LoadTester Start(Uri target, LoadTestConfig config, TimeSpan? maxDuration = null, string? runId = null)
    {
        if (!target.IsLoopback) throw new ArgumentException($"The load tester only sends to loopback addresses, not {target}.", nameof(target));
        if (config.RatePerSecond <= 0) throw new ArgumentException("singleHost.loadTest.ratePerSecond is 0: the load tester is off.", nameof(config));
        return new LoadTester(target, config, maxDuration ?? TimeSpan.FromSeconds(config.MaxSeconds), runId ?? Guid.NewGuid().ToString("N")[..8]);
    }

    public long Sent => Interlocked.Read(ref _sent);

    private async Task SendLoopAsync(long maxRequests, CancellationToken ct)
    {
        for (long i = 0; i < maxRequests && !ct.IsCancellationRequested; i++)
        {
            var due = LoadSchedule.DueAt(i, _config.RatePerSecond);
            var wait = due - _clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                try { await Task.Delay(wait, ct); }
                catch (OperationCanceledException) { break; }
            }
            var lag = (_clock.Elapsed - due).TotalMilliseconds;
            if (lag > _maxLagMs) _maxLagMs = lag;
            var second = (int)due.TotalSeconds;
            Interlocked.Increment(ref _sent);
            if (Volatile.Read(ref _pending) >= MaxInFlight)
            {
                // The server stopped answering: count what a user would see (a failure), never queue unboundedly.
                Record(second, due, ok: false, version: null, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} client: {MaxInFlight} requests in flight, not sent");
                continue;
            }
            Interlocked.Increment(ref _pending);
            var task = SendOneAsync(i, due, second);
            lock (_inFlight)
            {
                _inFlight.Add(task);
                if (_inFlight.Count > 4 * MaxInFlight) _inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
    }

    private async Task SendOneAsync(long index, TimeSpan due, int second)
    {
        try
        {
            using var request = Build(index);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var version = response.Headers.TryGetValues("X-App-Version", out var v) ? v.First() : null;
            var ok = response.IsSuccessStatusCode;
            Record(second, due, ok, version, ok ? null : $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {request.Method} {request.RequestUri}: HTTP {(int)response.StatusCode} ({version ?? "no version"})");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Record(second, due, ok: false, version: null, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} #{index}: {e.GetType().Name}: {e.Message}");
        }
        finally { Interlocked.Decrement(ref _pending); }
    }

    private HttpRequestMessage Build(long index)
    {
        if (LoadSchedule.KindOf(index, _config.WriteRatio) == RequestKind.Read)
            return new HttpRequestMessage(HttpMethod.Get, LoadSchedule.ReadPath(index, _config.Paths));
        Interlocked.Increment(ref _writes);
        // A new key per order: a retry of the same request would replay, which is not what a new user does.
        var cents = 100 + index % 9900;
        var body = $"{{\"customerId\":\"load-{_runId}\",\"total\":{cents / 100}.{cents % 100:00},\"currency\":\"EUR\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", $"lt-{_runId}-{index}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private void Record(int second, TimeSpan due, bool ok, string? version, string? failure)
    {
        var latencyMs = (_clock.Elapsed - due).TotalMilliseconds;
        lock (_seconds)
        {
            if (!_seconds.TryGetValue(second, out var b)) _seconds[second] = b = new Bucket();
            if (ok) { b.Ok++; b.Latencies.Add(latencyMs); } else b.Failed++;
            if (version is not null) b.Versions[version] = b.Versions.GetValueOrDefault(version) + 1;
            if (failure is not null && _failures.Count < 20) _failures.Add(failure);
        }
    }

    /// <summary>Stops sending, waits (bounded) for the answers still due, and summarises.</summary>
    public async Task<TrafficReport> StopAsync()
    {
        if (_report is not null) return _report;
        var stoppedAt = DateTimeOffset.UtcNow;
        _stop.Cancel();
        await _loop;
        Task[] pending;
        lock (_inFlight) pending = [.. _inFlight];
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(12)));
        lock (_seconds)
        {
            var all = _seconds.Values.SelectMany(b => b.Latencies).Order().ToList();
            var seconds = _seconds.OrderBy(p => p.Key).Select(p =>
            {
                var sorted = p.Value.Latencies.Order().ToList();
                return new TrafficSecond(p.Key, p.Value.Ok, p.Value.Failed, Round(LoadSchedule.Percentile(sorted, 50)), Round(LoadSchedule.Percentile(sorted, 99)),
                    new Dictionary<string, int>(p.Value.Versions));
            }).ToList();
            _report = new TrafficReport(_target.ToString(), _config.RatePerSecond, _config.WriteRatio, _startedAt, stoppedAt,
                Sent, seconds.Sum(s => (long)s.Ok), seconds.Sum(s => (long)s.Failed), Interlocked.Read(ref _writes),
                Round(LoadSchedule.Percentile(all, 50)), Round(LoadSchedule.Percentile(all, 99)), Round(all.Count == 0 ? 0 : all[^1]), Round(_maxLagMs),
                seconds, [.. _failures]);
        }
        _http.Dispose();
        return _report;
    }

    private static double Round(double v) => Math.Round(v, 2);

    public async ValueTask DisposeAsync() => await StopAsync();
}
