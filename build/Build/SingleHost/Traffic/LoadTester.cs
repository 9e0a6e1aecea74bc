using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Pipeline.Config;
using Pipeline.Drill;

namespace Pipeline.SingleHost.Traffic;

/// <summary>
/// Open-loop load generator (Flagger's load tester, in process): request i is sent at start + i/rate, timed
/// from that scheduled moment, without waiting for earlier answers. `hey -q` sends in bursts per worker, which
/// makes per-second counts and the canary's share jumpy; this spaces every request evenly. Bounded by time
/// (MaxSeconds) and so by count, by in-flight requests, and to loopback addresses only.
/// The drill runs the same scheduler with <see cref="LoadTesterOptions"/>: every attempt handed over as a
/// <see cref="RequestRecord"/> and failed writes retried with the same key (<see cref="WriteRetry"/>).
/// </summary>
public sealed class LoadTester : IAsyncDisposable
{
    private const int MaxInFlight = 512;
    private readonly Uri _target;
    private readonly LoadTestConfig _config;
    private readonly string _runId;
    private readonly LoadTesterOptions _options;
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

    private LoadTester(Uri target, LoadTestConfig config, TimeSpan maxDuration, string runId, LoadTesterOptions options)
    {
        _target = target;
        _config = config;
        _runId = runId;
        _options = options;
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
    public static LoadTester Start(Uri target, LoadTestConfig config, TimeSpan? maxDuration = null, string? runId = null, LoadTesterOptions? options = null)
    {
        if (!target.IsLoopback) throw new ArgumentException($"The load tester only sends to loopback addresses, not {target}.", nameof(target));
        if (config.RatePerSecond <= 0) throw new ArgumentException("singleHost.loadTest.ratePerSecond is 0: the load tester is off.", nameof(config));
        if (options?.Retry.MaxAttempts < 1) throw new ArgumentException("A write needs at least one attempt.", nameof(options));
        return new LoadTester(target, config, maxDuration ?? TimeSpan.FromSeconds(config.MaxSeconds), runId ?? Guid.NewGuid().ToString("N")[..8],
            options ?? LoadTesterOptions.Default);
    }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The wall-clock moment request 0 was due: ScheduledAt of request i is this + i/rate.</summary>
    public DateTimeOffset StartedAt => _startedAt;

    /// <summary>The Idempotency-Key (and customerId) of write <paramref name="index"/>: one client order, one tag.</summary>
    public string KeyOf(long index) => $"lt-{_runId}-{index}";

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
                var isWrite = LoadSchedule.KindOf(i, _config.WriteRatio) == RequestKind.Write;
                Emit(new RequestRecord(i, _startedAt + due, 0, 0, $"not sent: {MaxInFlight} requests in flight", null, null, isWrite, isWrite ? KeyOf(i) : null, 1));
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
            var isWrite = LoadSchedule.KindOf(index, _config.WriteRatio) == RequestKind.Write;
            if (isWrite) Interlocked.Increment(ref _writes);
            var attempts = isWrite ? _options.Retry.MaxAttempts : 1;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                if (attempt > 1)
                {
                    // A retry is not on the open-loop schedule: it is sent when the client's backoff ends, and timed from then.
                    await Task.Delay(_options.Retry.BackoffBefore(attempt));
                    due = _clock.Elapsed;
                    second = (int)due.TotalSeconds;
                }
                var status = await AttemptAsync(index, due, second, isWrite, attempt);
                if (!WriteRetry.IsRetryable(status)) break;
            }
        }
        finally { Interlocked.Decrement(ref _pending); }
    }

    /// <summary>One attempt of request <paramref name="index"/>; returns its status (0: transport error).</summary>
    private async Task<int> AttemptAsync(long index, TimeSpan due, int second, bool isWrite, int attempt)
    {
        var key = isWrite ? KeyOf(index) : null;
        var sendLag = 0.0;
        try
        {
            using var request = Build(index, isWrite);
            sendLag = (_clock.Elapsed - due).TotalMilliseconds;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var version = Header(response, "X-App-Version");
            var status = (int)response.StatusCode;
            var ok = response.IsSuccessStatusCode;
            var latency = Record(second, due, ok, version, ok ? null : $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {request.Method} {request.RequestUri}: HTTP {status} ({version ?? "no version"})");
            // The order's id (Location: /orders/{id}) lets the drill read every acknowledged write back.
            var orderId = isWrite && ok ? response.Headers.Location?.OriginalString.Split('/')[^1] : null;
            Emit(new RequestRecord(index, _startedAt + due, Math.Round(latency, 3), status, null, version, Header(response, "X-Instance"),
                isWrite, key, attempt) { OrderId = orderId, SendLagMs = Math.Round(sendLag, 3) });
            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            var latency = Record(second, due, ok: false, version: null, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} #{index}: {e.GetType().Name}: {e.Message}");
            Emit(new RequestRecord(index, _startedAt + due, Math.Round(latency, 3), 0, $"{e.GetType().Name}: {e.Message}", null, null, isWrite, key, attempt) { SendLagMs = Math.Round(sendLag, 3) });
            return 0;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var v) ? v.First() : null;

    private void Emit(RequestRecord record) => _options.OnRecord?.Invoke(record);

    private HttpRequestMessage Build(long index, bool isWrite)
    {
        if (!isWrite) return new HttpRequestMessage(HttpMethod.Get, LoadSchedule.ReadPath(index, _config.Paths));
        // A new key per order (a new user's order is a new request); the same key and body on every retry of it, so
        // a retry of a write that did commit replays it. The key doubles as the customerId: the drill counts rows per
        // tag in PostgreSQL, and two rows for one tag are a duplicate order.
        var cents = 100 + index % 9900;
        var body = $"{{\"customerId\":\"{KeyOf(index)}\",\"total\":{cents / 100}.{cents % 100:00},\"currency\":\"EUR\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", KeyOf(index));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private double Record(int second, TimeSpan due, bool ok, string? version, string? failure)
    {
        var latencyMs = (_clock.Elapsed - due).TotalMilliseconds;
        lock (_seconds)
        {
            if (!_seconds.TryGetValue(second, out var b)) _seconds[second] = b = new Bucket();
            if (ok) { b.Ok++; b.Latencies.Add(latencyMs); } else b.Failed++;
            if (version is not null) b.Versions[version] = b.Versions.GetValueOrDefault(version) + 1;
            if (failure is not null && _failures.Count < 20) _failures.Add(failure);
        }
        return latencyMs;
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
