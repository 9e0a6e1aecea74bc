using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.SingleHost.Traffic;

namespace Pipeline;

public sealed partial class BuildContext
{
    private SingleHostSession? _singleHost;

    /// <summary>The single-host target's session for this run (state dir, runner, record, log).</summary>
    public SingleHostSession SingleHost => _singleHost ??= new SingleHostSession(Config, Paths.StateDir, Runner, Record, Log, Actor)
    {
        CandidateEnvironment = ParseEnv(Argument(SingleHostArgs.CandidateEnv)),
        VerdictDir = Path.Combine(Paths.Artifacts, "gates"),
    };

    public bool IsSingleHost => Config.Target == TargetKind.SingleHost;

    /// <summary>
    /// The image a deploy ships: --image (explicit), else what Push recorded in this run (Facts), else the
    /// configuration's pin. Up prefers the last successful release instead (see <see cref="ImageForUp"/>).
    /// </summary>
    public string? ImageToDeploy() =>
        Argument(SingleHostArgs.Image)
        ?? (Record.Facts.GetValueOrDefault(SingleHostArgs.ImageDigestFact) is { } d && ConfigValidator.IsDigestReference(d) ? d : null)
        ?? Config.Image.Deploy;

    /// <summary>
    /// Up: --image, else the last successful release in the audit trail, else image.deploy. Never what this run
    /// pushed: in a Release, Up only boots what is missing; shipping the new digest is the deploy's job (with its
    /// smoke test and gates), not a side effect of bringing the environment up.
    /// </summary>
    public string? ImageForUp() => Argument(SingleHostArgs.Image) ?? DeclaredRelease();

    /// <summary>What the environment is declared to run before this run's deploy: the audit trail's current release, else image.deploy.</summary>
    public string? DeclaredRelease() =>
        AuditTrail.For(this) is var trail && trail.CurrentRelease() is { } current
            ? ImageReference.RequireDigest(current.ImageDigest, $"{trail.Path}: the current release ({current.At:u})")
            : Config.Image.Deploy;

    private LoadTester? _traffic;

    /// <summary>
    /// Starts the synthetic users (singleHost.loadTest) through the load balancer, unless off, already running or
    /// a dry run. They run until <see cref="StopTraffic"/> (Promote's end, the rollback's end, or teardown).
    /// </summary>
    public void StartTraffic(string why)
    {
        var lt = Config.SingleHost.LoadTest;
        if (DryRun || _traffic is not null || lt.RatePerSecond <= 0 || !IsSingleHost) return;
        _traffic = LoadTester.Start(new Uri($"http://127.0.0.1:{Config.SingleHost.LoadBalancerPort}"), lt);
        SingleHost.Event("traffic-started", $"{lt.RatePerSecond:0.#}/s", why);
    }

    /// <summary>Stops the load tester (if running), writes artifacts/traffic.json and prints the one-line summary.</summary>
    public TrafficReport? StopTraffic()
    {
        if (_traffic is null) return null;
        var report = _traffic.StopAsync().GetAwaiter().GetResult();
        _traffic = null;
        Directory.CreateDirectory(Paths.Artifacts);
        var file = Path.Combine(Paths.Artifacts, "traffic.json");
        File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(report, RunRecord.Json) + "\n");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Record.Facts["traffic.requests"] = report.Requests.ToString(inv);
        Record.Facts["traffic.failed"] = report.Failed.ToString(inv);
        Record.Facts["traffic.p50Ms"] = report.P50Ms.ToString(inv);
        Record.Facts["traffic.p99Ms"] = report.P99Ms.ToString(inv);
        Record.Facts["traffic.file"] = file;
        SingleHost.Event("traffic-stopped", $"{report.Requests} requests", $"{report.Failed} failed, p99 {report.P99Ms.ToString("0.0", inv)} ms");
        if (report.Failed > 0) Log.Warning("{0} → {1}", report.Summary(), file);
        else Log.Information("{0} → {1}", report.Summary(), file);
        foreach (var f in report.FirstFailures.Take(5)) Log.Warning("  failed: {0}", f);
        return report;
    }

    private static Dictionary<string, string> ParseEnv(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].StartsWith("ORDERS_FAULT_", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => p[1]);
}

public static class SingleHostArgs
{
    /// <summary>--image=repo@sha256:… : deploy (or bring up) exactly this image.</summary>
    public const string Image = "image";
    /// <summary>--candidate-env=ORDERS_FAULT_ERROR_RATE=0.3 : fault injection into the new version only (benchmarks, demos).</summary>
    public const string CandidateEnv = "candidate-env";
    /// <summary>Fact the image task (Push) publishes with the full pushed reference (registry/repo@sha256:…).</summary>
    public const string ImageDigestFact = "image.digest";
}
