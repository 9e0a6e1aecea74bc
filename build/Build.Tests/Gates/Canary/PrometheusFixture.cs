using Pipeline.Tests.Support;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Pipeline.Metrics;

namespace Pipeline.Tests.Gates.Canary;

/// <summary>
/// A real Prometheus 2.42 (/usr/bin/prometheus) on a free loopback port with a temp TSDB, scraping fake app
/// tracks every second through file_sd targets that carry the <c>track</c> label — exactly how the single-host
/// target wires it. One job per scenario (CanaryScope.Job(name)), all served by one HttpListener.
/// Every scrape is served on its own task and a failed write is logged, never fatal: the old serial
/// fire-and-forget loop died on its first failed write and every target went down silently ("canary served 0
/// requests"). Prometheus' stderr is kept and shown whenever the fixture fails.
/// </summary>
public sealed class PrometheusFixture : IDisposable
{
    public const string PrometheusBinary = "/usr/bin/prometheus";

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, FakeApp> _apps = new(StringComparer.Ordinal);
    private readonly Process _prometheus;
    private readonly string _dir = Directory.CreateTempSubdirectory("gate-it-").FullName;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _serveFailures = new();
    private readonly int _targets;

    public PrometheusFixture(IReadOnlyDictionary<string, (FakeApp Stable, FakeApp Canary)> scenarios)
    {
        foreach (var (job, (stable, canary)) in scenarios)
        {
            _apps[$"/{job}/stable/metrics"] = stable;
            _apps[$"/{job}/canary/metrics"] = canary;
        }
        _targets = 2 * scenarios.Count;
        var appPort = FreePorts.One();
        _listener.Prefixes.Add($"http://127.0.0.1:{appPort}/");
        _listener.Start();
        _ = Task.Run(AcceptAsync);

        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var job in scenarios.Keys)
        {
            config.Append($"  - job_name: {job}\n    file_sd_configs:\n      - files: ['{_dir}/{job}.json']\n        refresh_interval: 1s\n");
            File.WriteAllText(Path.Combine(_dir, $"{job}.json"), $$$"""
                [
                  {"targets": ["127.0.0.1:{{{appPort}}}"], "labels": {"track": "stable", "__metrics_path__": "/{{{job}}}/stable/metrics"}},
                  {"targets": ["127.0.0.1:{{{appPort}}}"], "labels": {"track": "canary", "__metrics_path__": "/{{{job}}}/canary/metrics"}}
                ]
                """);
        }
        File.WriteAllText(Path.Combine(_dir, "prometheus.yml"), config.ToString());

        var port = FreePorts.One();
        Address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(PrometheusBinary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { $"--config.file={_dir}/prometheus.yml", $"--storage.tsdb.path={_dir}/tsdb", $"--web.listen-address=127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        _prometheus = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        _prometheus.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _prometheus.OutputDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _prometheus.BeginErrorReadLine();
        _prometheus.BeginOutputReadLine();
        Source = new PrometheusMetricsSource(Address);
        WaitForTargets(TimeSpan.FromSeconds(30));
        TargetsUpAt = DateTimeOffset.UtcNow;
    }

    public Uri Address { get; }
    public PrometheusMetricsSource Source { get; }
    public DateTimeOffset TargetsUpAt { get; }
    /// <summary>Scrapes that could not be answered (logged, the listener keeps serving).</summary>
    public IReadOnlyCollection<string> ServeFailures => _serveFailures;

    /// <summary>Prometheus' own log (stderr), last lines: what a failing test prints.</summary>
    public string Log(int lines = 40) => string.Join("\n", _stderr.TakeLast(lines));

    /// <summary>Waits until every target has been scraped for at least <paramref name="seconds"/>.</summary>
    public Task DataForAsync(int seconds) =>
        Task.Delay(TargetsUpAt.AddSeconds(seconds) - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);

    /// <summary>
    /// Before judging: every target answered a scrape within the last 3 s. A verdict over targets that went down
    /// would read as "no traffic" and prove nothing about the gate; this fails the test with Prometheus' log instead.
    /// Not "up right now": on a loaded 2-core CI machine (Native AOT image builds in parallel test classes) one of
    /// the 20 scrapes a second overran its 900 ms timeout now and then, and that single missed scrape failed every
    /// gate test although the fixture was serving; a dead fixture misses every scrape and still fails here.
    /// </summary>
    public async Task AssertTargetsUpAsync()
    {
        var up = await Source.QueryVectorAsync("count(max_over_time(up[3s]) == 1)", DateTimeOffset.UtcNow);
        var count = up.Count == 1 ? up[0].Value : 0;
        if (count < _targets)
            throw new InvalidOperationException($"only {count} of {_targets} targets up; serve failures: [{string.Join("; ", _serveFailures.TakeLast(5))}]\nprometheus log:\n{Log()}");
    }

    private void WaitForTargets(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // Task.Run: off xunit's 2-thread synchronization context. Blocking on a continuation posted back to
                // it deadlocked this wait whenever another test class held the other thread (the combined run).
                var up = Task.Run(() => Source.QueryVectorAsync("count(up == 1)", DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
                if (up.Count == 1 && up[0].Value >= _targets) return;
            }
            catch (MetricsUnavailableException) { /* still starting */ }
            if (_prometheus.HasExited) throw new InvalidOperationException($"prometheus exited with {_prometheus.ExitCode}:\n{Log()}");
            Thread.Sleep(200);
        }
        throw new TimeoutException($"Prometheus at {Address} did not report {_targets} targets up within {timeout.TotalSeconds} s\n{Log()}");
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) when (!_listener.IsListening) { return; }
            catch (Exception e) { _serveFailures.Enqueue($"accept: {e.Message}"); continue; }
            _ = Task.Run(() => ServeAsync(ctx));
        }
    }

    private async Task ServeAsync(HttpListenerContext ctx)
    {
        try
        {
            var body = _apps.TryGetValue(ctx.Request.Url!.AbsolutePath, out var app) ? app.Scrape() : null;
            ctx.Response.StatusCode = body is null ? 404 : 200;
            ctx.Response.ContentType = "text/plain; version=0.0.4";
            var bytes = Encoding.UTF8.GetBytes(body ?? "not found");
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
        catch (Exception e)
        {
            _serveFailures.Enqueue($"{ctx.Request.Url?.AbsolutePath}: {e.GetType().Name}: {e.Message}");
            try { ctx.Response.Abort(); } catch (Exception) { /* already gone */ }
        }
    }

    public void Dispose()
    {
        Source.Dispose();
        try { if (!_prometheus.HasExited) { _prometheus.Kill(entireProcessTree: true); _prometheus.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _prometheus.Dispose();
        _listener.Close();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
