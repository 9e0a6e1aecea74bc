using System.Globalization;
using Pipeline.Config;
using Pipeline.Drill.Traffic;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tests.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Drill.Traffic;

/// <summary>
/// The drill's traffic against the real app (Orders.Api as a process) on a real throwaway PostgreSQL: every write
/// acknowledged, read back through the API and found once in the database; then a row deleted and a row duplicated
/// by hand, and the verifier has to see both — a verifier that always says 0 cannot pass this.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DrillTrafficAppTests : IDisposable
{
    private readonly SingleHostTestEnvironment _env = new();
    private readonly int _appPort = FreePorts.One();
    private int? _appPid;

    private SingleHostLayout L => _env.Session.Layout;
    private int PgPort => _env.Config.SingleHost.PostgresPort;

    private string Sql(string sql) => _env.Runner.Run(Postgres.Psql(L.PostgresSocketDir, PgPort, SingleHostLayout.DbName, sql)).StandardOutput;

    /// <summary>The app as built by the solution build (built here when a test run finds none).</summary>
    private string AppDll()
    {
        var root = BuildPaths.Discover("local").RepoRoot;
        var project = Path.Combine(root, "app", "Orders.Api", "Orders.Api.csproj");
        var dll = Path.Combine(root, "app", "Orders.Api", "bin", "Release", "net10.0", "Orders.Api.dll");
        if (!File.Exists(dll)) _env.Runner.Run(DotNetCommands.Build(project), timeout: TimeSpan.FromMinutes(5));
        return dll;
    }

    private Dictionary<string, string> AppEnvironment(string passwordFile) => new()
    {
        ["ORDERS_DB_HOST"] = "127.0.0.1",
        ["ORDERS_DB_PORT"] = PgPort.ToString(CultureInfo.InvariantCulture),
        ["ORDERS_DB_NAME"] = SingleHostLayout.DbName,
        ["ORDERS_DB_USER"] = SingleHostLayout.DbUser,
        ["ORDERS_DB_PASSWORD_FILE"] = passwordFile,
        ["ORDERS_INSTANCE_ID"] = "it-app-1",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_appPort}",
    };

    [Fact]
    public async Task Every_acknowledged_write_is_found_once_and_a_lost_or_duplicated_row_is_caught()
    {
        var password = DbPassword.EnsureFile(Path.Combine(_env.Dir, "db.pw"));
        new PostgresCluster(_env.Session).Reconcile(password);
        var passwordFile = Path.Combine(_env.Dir, "db.pw");
        var dll = AppDll();
        _env.Runner.Run(new ToolCommand("dotnet", dll, "migrate") { Environment = AppEnvironment(passwordFile) }, timeout: TimeSpan.FromMinutes(2));
        _appPid = _env.Runner.StartDetached(new ToolCommand("dotnet", dll) { Environment = AppEnvironment(passwordFile) }, Path.Combine(_env.Dir, "app.log"));
        var app = new Uri($"http://127.0.0.1:{_appPort}");
        await Poll(async () => (await SingleHostSession.Http.GetAsync(new Uri(app, "/healthz/ready"))).IsSuccessStatusCode, "the app ready");

        var probes = new DrillProbes(_ => Task.FromResult<IReadOnlyList<ProbeTarget>>([new ProbeTarget("it-app-1", app)]),
            CountKeys: () => long.Parse(Sql(KeyCountSampler.Sql).Trim(), CultureInfo.InvariantCulture), KeyCountInterval: TimeSpan.FromSeconds(1));
        var traffic = DrillTraffic.Start(app, new LoadTestConfig { RatePerSecond = 40, WriteRatio = 0.2, MaxSeconds = 30 }, probes);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var summary = await traffic.StopAsync();
        var records = traffic.Records;

        Assert.Equal(0, summary.Failed);
        Assert.True(records.Count(r => r.Acknowledged) >= 15, $"{records.Count(r => r.Acknowledged)} acknowledged writes");
        // Version and instance of every answer (X-Instance is ORDERS_INSTANCE_ID).
        Assert.All(records, r => Assert.Equal("it-app-1", r.Instance));
        Assert.All(records, r => Assert.NotNull(r.Version));
        Assert.Contains(traffic.Readiness, t => t is { Instance: "it-app-1", To: InstanceState.Ready });
        Assert.Contains(traffic.KeyCounts, k => k.Rows > 0);
        Assert.NotEmpty(traffic.Steal);

        // The drill's last step on the real recording: writes verified, report files written, the drill passes.
        var artifacts = Path.Combine(_env.Dir, "artifacts");
        var phase = new Pipeline.Drill.PhaseResult("steady", false, traffic.StartedAt, DateTimeOffset.UtcNow, "0 failed", true, "0 failed");
        var report = await Pipeline.Drill.Report.DrillFinish.FinishAsync(traffic, "it", [phase], [], app, Sql, artifacts);
        var clean = report.Writes!;
        Assert.Equal((records.Count(r => r.Acknowledged), 0, 0, 0), (clean.Acknowledged, clean.MissingInApi, clean.MissingInDatabase, clean.Duplicates));
        Assert.True(report.Headline.Passed);
        Assert.All(new[] { "report.json", "requests.jsonl", "timeline.png", "report.html" }, f => Assert.True(new FileInfo(Path.Combine(artifacts, "drill", f)).Length > 0, f));

        // A lost write: one acknowledged order removed. A duplicate: another copied under a new id, same tag.
        var acked = records.Where(r => r.Acknowledged).ToList();
        var lost = acked[0].OrderId!;
        var copied = acked[1].OrderId!;
        Sql($"DELETE FROM idempotency_keys WHERE order_id = '{lost}'; DELETE FROM orders WHERE id = '{lost}';\n" +
            $"CREATE TEMP TABLE dup AS SELECT * FROM orders WHERE id = '{copied}'; UPDATE dup SET id = gen_random_uuid(); INSERT INTO orders SELECT * FROM dup;\n");
        var broken = await WriteVerifier.VerifyAsync(records, app, Sql);
        Assert.Equal((1, 1, 1), (broken.MissingInApi, broken.MissingInDatabase, broken.DuplicateRows));
        Assert.False(broken.Passed);
        Assert.Contains(broken.Examples, e => e.Contains(acked[1].IdempotencyKey!) && e.Contains("2 rows"));
    }

    private static async Task Poll(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try { if (await condition()) return; } catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 60 s: {what}");
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        if (_appPid is { } pid) try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { }
        try { if (new PostgresCluster(_env.Session).Exists) _env.Runner.Run(Postgres.Stop(L.PostgresData), allowFailure: true); } catch (Exception) { }
        _env.Dispose();
    }
}
