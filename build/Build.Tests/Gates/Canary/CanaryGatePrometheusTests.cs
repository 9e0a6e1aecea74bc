using System.Diagnostics;
using System.Text.Json;
using Pipeline.Config;
using Pipeline.Gates.Canary;
using Pipeline.Records;
using Xunit.Abstractions;

namespace Pipeline.Tests.Gates.Canary;

/// <summary>Scenarios served to one real Prometheus (one job each), started once for the class.</summary>
public sealed class CanaryScenarios : IDisposable
{
    public static readonly CanaryGateConfig Config = new()
    {
        MaxErrorRateIncrease = 0.01, MaxP99Ratio = 1.5, MinP99IncreaseMs = 5, MinSamples = 100, Alpha = 0.05, MinEffectSize = 0.2,
        WindowSeconds = 12, SampleStepSeconds = 2, InconclusiveTimeoutSeconds = 4,
    };

    /// <summary>Canaries that turn bad mid-test: three at 20 % and three at 50 % errors.</summary>
    public static readonly (string Job, double ErrorRate)[] DetectionJobs =
        [("detect20a", 0.2), ("detect20b", 0.2), ("detect20c", 0.2), ("detect50a", 0.5), ("detect50b", 0.5), ("detect50c", 0.5)];

    public CanaryScenarios()
    {
        var scenarios = new Dictionary<string, (FakeApp, FakeApp)>
        {
            // 100 vs 30 requests/s: the canary holds about a quarter of the traffic.
            ["healthy"] = (new FakeApp("1.1.0", 100, 1), new FakeApp("1.2.0", 30, 2) { ProbeErrorsPerScrape = 5 }),
            ["errors"] = (new FakeApp("1.1.0", 100, 3), new FakeApp("1.2.0", 30, 4) { ErrorRate = 0.2 }),
            ["slow"] = (new FakeApp("1.1.0", 100, 5), new FakeApp("1.2.0", 30, 6) { LatencyFactor = 3 }),
            ["idle"] = (new FakeApp("1.1.0", 100, 7), new FakeApp("1.2.0", 0, 8)),
        };
        var seed = 100;
        foreach (var (job, _) in DetectionJobs)
        {
            var canary = new FakeApp("1.2.0", 30, seed++);
            Canaries[job] = canary;
            scenarios[job] = (new FakeApp("1.1.0", 100, seed++), canary);
        }
        Prometheus = new PrometheusFixture(scenarios);
    }

    public PrometheusFixture Prometheus { get; }
    public Dictionary<string, FakeApp> Canaries { get; } = [];

    public void Dispose() => Prometheus.Dispose();
}

[Trait("Category", "Integration")]
public sealed class CanaryGatePrometheusTests(CanaryScenarios scenarios, ITestOutputHelper output) : IClassFixture<CanaryScenarios>
{
    private static readonly CanaryGateConfig Config = CanaryScenarios.Config;
    // build/environments/local.yaml's canary settings, for the detection figure.
    private static readonly CanaryGateConfig LocalConfig = new() { WindowSeconds = 20, SampleStepSeconds = 2, MinSamples = 100 };

    private async Task<CanaryVerdict> AssessAsync(string job)
    {
        await scenarios.Prometheus.DataForAsync(Config.WindowSeconds + 2);
        var verdict = await CanaryAnalysis.AssessAsync(scenarios.Prometheus.Source, Config, 25, CancellationToken.None, CanaryScope.Job(job));
        output.WriteLine($"{job}: {verdict.Verdict} — {verdict.Summary}");
        return verdict;
    }

    [Fact]
    public async Task Healthy_canary_passes_and_failing_probes_are_ignored()
    {
        var verdict = await AssessAsync("healthy");
        Assert.Equal(Verdict.Pass, verdict.Verdict);
        Assert.Equal(0, verdict.Figures["canary.serverErrors"]); // the 5xx readiness probes were excluded
        Assert.InRange(verdict.Figures["canary.requests"], 250, 450);  // ~30/s over 12 s
        Assert.InRange(verdict.Figures["p99Ratio"], 0.7, 1.4);

        var dir = Directory.CreateTempSubdirectory("gate-verdict-").FullName;
        try
        {
            var file = CanaryVerdictRecorder.Write(dir, verdict);
            Assert.StartsWith("canary-25-", Path.GetFileName(file));
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Equal("pass", json.RootElement.GetProperty("verdict").GetString());
            Assert.True(json.RootElement.GetProperty("figures").GetProperty("latency.pValue").GetDouble() > 0);
            Assert.Contains("track=\\\"canary\\\"", File.ReadAllText(file));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Canary_with_twenty_percent_errors_fails()
    {
        var verdict = await AssessAsync("errors");
        Assert.Equal(Verdict.Fail, verdict.Verdict);
        Assert.InRange(verdict.Figures["canary.errorRate"], 0.12, 0.28);
        Assert.Equal(0, verdict.Figures["baseline.errorRate"]);
        Assert.True(verdict.Figures["errors.pValue"] < Config.Alpha);
    }

    [Fact]
    public async Task Canary_with_tripled_latency_fails()
    {
        var verdict = await AssessAsync("slow");
        Assert.Equal(Verdict.Fail, verdict.Verdict);
        Assert.True(verdict.Figures["p99Ratio"] > Config.MaxP99Ratio);
        Assert.True(verdict.Figures["latency.effectSize"] > 1);
    }

    [Fact]
    public async Task Canary_without_traffic_is_inconclusive_then_gives_up()
    {
        var verdict = await AssessAsync("idle");
        Assert.Equal(Verdict.Inconclusive, verdict.Verdict);
        Assert.Equal(0, verdict.Figures["canary.requests"]);

        var watch = Stopwatch.StartNew();
        var final = await CanaryGate.AwaitVerdictAsync(scenarios.Prometheus.Source, Config, 25, CancellationToken.None, CanaryScope.Job("idle"));
        Assert.Equal(Verdict.Inconclusive, final.Verdict);
        Assert.Contains("giving up", final.Summary);
        Assert.InRange(watch.Elapsed.TotalSeconds, Config.InconclusiveTimeoutSeconds - 2.5, Config.InconclusiveTimeoutSeconds + 5);
    }

    /// <summary>
    /// Figures for docs/benchmarks/gate.md: how long one look takes (10 queries against Prometheus), and how
    /// many seconds pass from a canary starting to return 20 % or 50 % errors to a Fail verdict, looking once a
    /// second. Two views of each fault: "full window" (the fault starts inside a running step: 20 s of healthy
    /// history dilute it) and "new step" (stepStartedAt = the fault's start, as when a bad canary gets its weight:
    /// the window holds only the bad traffic, but needs minSamples requests and two sample steps first).
    /// </summary>
    [Fact]
    public async Task Measures_verdict_latency_and_detection_time()
    {
        await scenarios.Prometheus.DataForAsync(LocalConfig.WindowSeconds + 2);
        var looks = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            var w = Stopwatch.StartNew();
            await CanaryAnalysis.AssessAsync(scenarios.Prometheus.Source, LocalConfig, 25, CancellationToken.None, CanaryScope.Job("healthy"));
            looks.Add(w.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"one look (10 queries, 2 tracks): median {MannWhitney.Median(looks):0.0} ms, runs [{string.Join(", ", looks.Select(l => l.ToString("0.0")))}]");

        async Task<(CanaryVerdict verdict, double seconds)> WatchAsync(string job, Stopwatch faultAt, DateTimeOffset? stepStartedAt)
        {
            // Keep looking once a second, as a gate watching a live step does, until the first Fail.
            CanaryVerdict verdict;
            do
            {
                verdict = await CanaryAnalysis.AssessAsync(scenarios.Prometheus.Source, LocalConfig, 25, CancellationToken.None, CanaryScope.Job(job), stepStartedAt: stepStartedAt);
                if (verdict.Verdict == Verdict.Fail) break;
                await Task.Delay(TimeSpan.FromSeconds(1));
            } while (faultAt.Elapsed < TimeSpan.FromSeconds(40));
            return (verdict, faultAt.Elapsed.TotalSeconds);
        }

        // The canaries go bad at staggered moments (different phases against the 1-s scrape clock).
        var detections = await Task.WhenAll(CanaryScenarios.DetectionJobs.Select(async (d, i) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(333 * (i % 3)));
            var faultAt = Stopwatch.StartNew();
            var startedAt = DateTimeOffset.UtcNow;
            scenarios.Canaries[d.Job].ErrorRate = d.ErrorRate;
            var full = WatchAsync(d.Job, faultAt, null);
            var young = WatchAsync(d.Job, faultAt, startedAt);
            return (d.Job, d.ErrorRate, full: await full, young: await young);
        }));
        foreach (var (job, rate, full, young) in detections)
        {
            output.WriteLine($"{job}: {rate:P0} errors, full window: {full.verdict.Verdict} after {full.seconds:0.0} s — {full.verdict.Summary}");
            output.WriteLine($"{job}: {rate:P0} errors, new step:    {young.verdict.Verdict} after {young.seconds:0.0} s — {young.verdict.Summary}");
        }
        foreach (var rate in new[] { 0.2, 0.5 })
        {
            var some = detections.Where(d => d.ErrorRate == rate).ToList();
            output.WriteLine($"detection median at {rate:P0}: full window {MannWhitney.Median(some.Select(d => d.full.seconds).ToList()):0.0} s, new step {MannWhitney.Median(some.Select(d => d.young.seconds).ToList()):0.0} s");
        }
        Assert.All(detections, d => Assert.Equal(Verdict.Fail, d.full.verdict.Verdict));
        Assert.All(detections, d => Assert.Equal(Verdict.Fail, d.young.verdict.Verdict));
        Assert.All(detections, d => Assert.True(d.full.seconds < 15 && d.young.seconds < 15));
    }
}
