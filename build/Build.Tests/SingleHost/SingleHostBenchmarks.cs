using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost;

/// <summary>
/// Figures for docs/benchmarks/single-host.md (not part of the normal test run: Category=Benchmark).
///   dotnet test build/Build.Tests --filter Category=Benchmark
/// Writes artifacts/benchmarks/single-host.txt. Each figure: 3 runs, median reported.
/// </summary>
[Collection(SingleHostCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class SingleHostBenchmarks(TestImages images)
{
    private const int Runs = 3;
    private readonly StringBuilder _out = new();

    [Fact]
    public async Task Measure()
    {
        // SINGLEHOST_BENCH=rollback measures only the rollback figures; =rolling|blue-green|canary only that strategy's release.
        var only = Environment.GetEnvironmentVariable("SINGLEHOST_BENCH");
        string[] all = ["rolling", "blue-green", "canary"];
        var strategies = only == "rollback" ? [] : all.Contains(only) ? [only!] : all;
        foreach (var strategy in strategies)
        {
            using var env = new SingleHostTestEnvironment(strategy, replicas: 3, steps: "[25, 50, 100]");
            env.UpWith(images.Old);
            using var traffic = new BackgroundTraffic(env.LbPort);
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                var image = i % 2 == 0 ? images.New : images.Old;
                var sw = Stopwatch.StartNew();
                await env.Release.DeployAsync(image);
                await env.Release.PromoteAsync();
                times.Add(sw.Elapsed.TotalSeconds);
            }
            var (ok, failed) = traffic.Stop();
            Report($"{strategy} release of 3 instances (deploy + promote), s", times, $"background requests ok {ok}, failed {failed}");
        }
        if (all.Contains(only)) { WriteFigures(); return; }

        {
            using var env = new SingleHostTestEnvironment("canary", replicas: 3, steps: "[25, 50, 100]", smokePaths: "[\"/healthz/ready\"]");
            env.UpWith(images.Old);
            env.Session.CandidateEnvironment = new Dictionary<string, string> { ["ORDERS_FAULT_ERROR_RATE"] = "0.5" };
            using var traffic = new BackgroundTraffic(env.LbPort, tolerateErrors: true);
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                await env.Release.DeployAsync(images.New);
                try { await env.Release.PromoteAsync(); } catch (ReleaseAbortedException) { }
                times.Add(double.Parse(env.Session.Record.Facts["singlehost.rollback.toStableMs"], CultureInfo.InvariantCulture));
                var serving = env.VersionsServing(20);
                if (serving.Keys.Count != 1 || !serving.ContainsKey("1.1.0"))
                {
                    // Report, don't hide: what the LB saw when the answer was not "only 1.1.0".
                    var servers = string.Join("; ", new LoadBalancer(env.Session).Servers().Where(s => !s.Status.StartsWith("MAINT", StringComparison.Ordinal)).Select(s => $"{s.Backend}/{s.Server} {s.Status} w{s.Weight}"));
                    _out.AppendLine($"ANOMALY after rollback {i}: {string.Join(", ", serving.Select(kv => kv.Key + "×" + kv.Value))}; servers: {servers}");
                }
            }
            traffic.Stop();
            Report("gate failure → 100 % traffic on stable, ms", times);
        }

        {
            using var env = new SingleHostTestEnvironment("blue-green", replicas: 3);
            env.UpWith(images.Old);
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                await env.Release.DeployAsync(images.New);
                await env.Release.RollbackAsync();
                times.Add(double.Parse(env.Session.Record.Facts["singlehost.rollback.toTargetMs"], CultureInfo.InvariantCulture));
            }
            Report("manual Rollback → 100 % previous, still running (blue-green), ms", times);
        }

        {
            using var env = new SingleHostTestEnvironment("rolling", replicas: 3);
            env.UpWith(images.Old);
            await env.Release.DeployAsync(images.New);
            await env.Release.PromoteAsync();
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                await env.Release.RollbackAsync();
                times.Add(double.Parse(env.Session.Record.Facts["singlehost.rollback.toTargetMs"], CultureInfo.InvariantCulture));
            }
            Report("manual Rollback → 100 % previous, must start (3 instances), ms", times);
        }

        WriteFigures();
    }

    private void WriteFigures()
    {
        var dir = Path.Combine(BuildPaths.Discover("x").Artifacts, "benchmarks");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "single-host.txt"), _out.ToString());
    }

    private void Report(string what, List<double> values, string? note = null)
    {
        var sorted = values.Order().ToList();
        var line = string.Create(CultureInfo.InvariantCulture, $"{what}: median {sorted[sorted.Count / 2]:0.##} (runs: {string.Join(", ", values.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)))}){(note is null ? "" : "; " + note)}");
        _out.AppendLine(line);
        Console.WriteLine(line);
    }
}
