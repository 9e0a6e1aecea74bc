using Pipeline.Tests.Support;
using System.Diagnostics;
using System.Net;
using Pipeline.Config;
using Pipeline.SingleHost.Traffic;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost.Traffic;

/// <summary>The load tester against a tiny real HTTP server on loopback: arrivals, counts, open loop.</summary>
[Trait("Category", "Integration")]
public sealed class LoadTesterTests
{
    private sealed class TinyServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        public List<(double AtMs, string Method, string? Key)> Arrivals { get; } = [];
        public int Port { get; } = FreePorts.One();

        public TinyServer(int delayMs, Func<int, int>? status = null, Func<HttpListenerRequest, int>? statusOf = null)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                var n = 0;
                while (_listener.IsListening)
                {
                    HttpListenerContext c;
                    try { c = await _listener.GetContextAsync(); } catch (Exception) { return; }
                    var i = Interlocked.Increment(ref n);
                    lock (Arrivals) Arrivals.Add((_clock.Elapsed.TotalMilliseconds, c.Request.HttpMethod, c.Request.Headers["Idempotency-Key"]));
                    _ = Task.Run(async () =>
                    {
                        if (delayMs > 0) await Task.Delay(delayMs);
                        c.Response.StatusCode = statusOf?.Invoke(c.Request) ?? status?.Invoke(i) ?? 200;
                        c.Response.Headers["X-App-Version"] = "9.9.9";
                        c.Response.Headers["X-Instance"] = "tiny-1";
                        if (c.Request.HttpMethod == "POST") c.Response.Headers["Location"] = $"/orders/order-{c.Request.Headers["Idempotency-Key"]}";
                        c.Response.Close();
                    });
                }
            });
        }

        public void Dispose() { _listener.Stop(); _listener.Close(); }
    }

    [Fact]
    public async Task It_sends_evenly_spaced_requests_and_counts_them_per_second()
    {
        using var server = new TinyServer(delayMs: 0, status: i => i % 10 == 0 ? 503 : 200);
        var tester = LoadTester.Start(new Uri($"http://127.0.0.1:{server.Port}"), new LoadTestConfig { RatePerSecond = 100, WriteRatio = 0.2, Paths = ["/orders?limit=5"] });
        await Task.Delay(3000);
        var report = await tester.StopAsync();

        // Counted against the tester's own clock: a busy machine may wake the test late, not change the schedule.
        var expected = 100 * (report.StoppedAt - report.StartedAt).TotalSeconds;
        Assert.InRange(report.Requests, expected * 0.9 - 5, expected * 1.1 + 5);
        Assert.Equal(report.Requests, report.Ok + report.Failed);
        Assert.InRange(report.Failed, report.Requests / 10 - 2, report.Requests / 10 + 2);
        // Every complete scheduled second holds exactly `rate` requests, however late they left.
        var complete = report.Seconds.Where(s => s.Second < (int)(report.StoppedAt - report.StartedAt).TotalSeconds - 1).ToList();
        Assert.NotEmpty(complete);
        Assert.All(complete, s => Assert.Equal(100, s.Ok + s.Failed));
        Assert.All(complete, s => Assert.Equal(s.Ok + s.Failed, s.Versions["9.9.9"])); // the 503s answered too
        List<(double AtMs, string Method, string? Key)> arrivals;
        lock (server.Arrivals) arrivals = [.. server.Arrivals.OrderBy(a => a.AtMs)];
        // Evenly spaced: 10 ms apart; jitter of the timer and the server, but never bursts. A starved sender (CPU
        // contention) sends its late requests at once — correct for an open loop, and visible as MaxSendLagMs — so
        // the spacing is only asserted when the sender kept its schedule.
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => b.AtMs - a.AtMs).Order().ToList();
        if (report.MaxSendLagMs < 5)
        {
            Assert.InRange(gaps[gaps.Count / 2], 7, 13);
            Assert.True(gaps.Count(g => g < 2) < gaps.Count / 10, $"{gaps.Count(g => g < 2)} of {gaps.Count} arrivals came < 2 ms after the previous one (bursts)");
        }
        var writes = arrivals.Where(a => a.Method == "POST").ToList();
        // The writes are the ones the schedule names (a hash of the index, 20 % of them).
        var scheduled = Enumerable.Range(0, arrivals.Count).Count(i => LoadSchedule.KindOf(i, 0.2) == RequestKind.Write);
        Assert.InRange(writes.Count, scheduled - 2, scheduled + 2);
        Assert.Equal(writes.Count, writes.Select(w => w.Key).Distinct().Count());
    }

    [Fact]
    public async Task It_is_open_loop_a_slow_server_gets_the_same_arrivals_and_its_latency_is_measured()
    {
        using var server = new TinyServer(delayMs: 400);
        var tester = LoadTester.Start(new Uri($"http://127.0.0.1:{server.Port}"), new LoadTestConfig { RatePerSecond = 50, WriteRatio = 0 });
        await Task.Delay(2000);
        var report = await tester.StopAsync();

        // A closed loop with a few workers would have sent a handful; open loop keeps the schedule.
        var expected = 50 * (report.StoppedAt - report.StartedAt).TotalSeconds;
        Assert.InRange(report.Requests, expected * 0.9 - 3, expected * 1.1 + 3);
        Assert.Equal(0, report.Failed);
        // Measured from the scheduled send time: at least the server's 400 ms, plus whatever the sender lagged.
        Assert.InRange(report.P50Ms, 390, 1000 + report.MaxSendLagMs);
    }

    [Fact]
    public async Task Failed_writes_are_retried_with_the_same_key_and_every_attempt_is_recorded()
    {
        // The server fails the first two attempts of every write with 503 (as an instance shutting down would), then accepts.
        var seen = new Dictionary<string, int>();
        using var server = new TinyServer(delayMs: 0, statusOf: r =>
        {
            if (r.HttpMethod != "POST") return 200;
            lock (seen) return (seen[r.Headers["Idempotency-Key"]!] = seen.GetValueOrDefault(r.Headers["Idempotency-Key"]!) + 1) <= 2 ? 503 : 201;
        });
        var records = new List<Pipeline.Drill.RequestRecord>();
        var tester = LoadTester.Start(new Uri($"http://127.0.0.1:{server.Port}"), new LoadTestConfig { RatePerSecond = 40, WriteRatio = 0.25 },
            options: new LoadTesterOptions(new WriteRetry(4, TimeSpan.FromMilliseconds(20)), r => { lock (records) records.Add(r); }));
        await Task.Delay(1500);
        await tester.StopAsync();

        var writes = records.Where(r => r.IsWrite).GroupBy(r => r.Seq).ToList();
        Assert.True(writes.Count >= 5, $"only {writes.Count} writes");
        Assert.All(writes, w =>
        {
            // Attempts 1, 2 failed, 3 acknowledged, no 4th: the retry stops at the first success.
            Assert.Equal([1, 2, 3], w.OrderBy(a => a.Attempt).Select(a => a.Attempt));
            Assert.Equal([503, 503, 201], w.OrderBy(a => a.Attempt).Select(a => a.Status));
            Assert.Single(w.Select(a => a.IdempotencyKey).Distinct());
            Assert.Equal($"order-{w.First().IdempotencyKey}", w.Single(a => a.Acknowledged).OrderId);
            // Each retry waits its backoff: attempt 3 is sent at least 20 + 40 ms after attempt 1 was due.
            var first = w.Single(a => a.Attempt == 1).ScheduledAt;
            Assert.True(w.Single(a => a.Attempt == 3).ScheduledAt - first >= TimeSpan.FromMilliseconds(55));
        });
        Assert.Equal(writes.Count, writes.Select(w => w.First().IdempotencyKey).Distinct().Count());
        // Reads are never retried, and every record carries the answering version and instance.
        Assert.All(records.Where(r => !r.IsWrite), r => Assert.Equal((1, 200, (string?)null), (r.Attempt, r.Status, r.IdempotencyKey)));
        Assert.All(records, r => Assert.Equal(("9.9.9", "tiny-1"), (r.Version, r.Instance)));
        lock (seen) Assert.All(seen.Values, n => Assert.Equal(3, n));
    }
}
