using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Orders.Api.Tests.Support;
using Orders.Bench;

// Usage: Orders.Bench --r3 DIR --r1 DIR [--out docs/BENCHMARKS.md] [--command "..."]
// DIRs hold Release builds of Orders.Api for release 3 and release 1 (app/bench/run.sh makes them).
var options = Args.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var pg = new PostgresServer();
await pg.InitializeAsync();
var report = new StringBuilder();
try
{
    var bench = new Bench(pg, options, report);
    await bench.RunAsync();
}
finally
{
    await pg.DisposeAsync();
}
Console.WriteLine(report);
if (options.Out is { } outFile) MarkdownSection.Replace(outFile, "## App (issue 2)", report.ToString());
return 0;

sealed record Args(string R3, string R1, string? Out, string Command)
{
    public static Args Parse(string[] args)
    {
        string? Get(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new(Get("--r3") ?? throw new ArgumentException("--r3 DIR required"), Get("--r1") ?? throw new ArgumentException("--r1 DIR required"),
            Get("--out"), Get("--command") ?? "bash app/bench/run.sh");
    }
}

sealed class Bench(PostgresServer pg, Args options, StringBuilder report)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync()
    {
        report.AppendLine("## App (issue 2)").AppendLine();
        report.AppendLine($"Command: `{options.Command}` (builds Release binaries of release 3 and release 1, then runs `app/Orders.Bench`).").AppendLine();
        report.AppendLine($"Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {DateTime.UtcNow:yyyy-MM-dd}; PostgreSQL 15, the app and the load generator all share these cores, so the figures are a floor, not a capacity plan. CPU steal is measured from /proc/stat over each phase.").AppendLine();

        var db = await pg.CreateDatabaseNameAsync();
        var env = Env(db);
        await RunCliAsync(options.R3, env, "migrate");

        var loadBefore = LoadAverage();
        await StartupToReadyAsync(env);
        await ThroughputAsync(env);
        await BackfillAsync();
        report.AppendLine($"1-minute load average at start / end of the run: {loadBefore} / {LoadAverage()} (anything well above 2 means other work shared the cores and the figures are pessimistic).").AppendLine();
    }

    async Task StartupToReadyAsync(Dictionary<string, string> env)
    {
        var runs = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var port = PostgresServer.FreePort();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            using var app = StartApp(options.R3, env, port);
            while (true)
            {
                try
                {
                    using var r = await client.GetAsync("/healthz/ready");
                    if (r.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("app never became ready");
                await Task.Delay(5);
            }
            runs.Add(clock.Elapsed.TotalMilliseconds);
            await StopAsync(app);
        }
        runs.Sort();
        report.AppendLine("### Process start to readiness").AppendLine();
        report.AppendLine($"Release build (framework-dependent apphost, not ReadyToRun), from process start to the first 200 from `/healthz/ready` (includes the first pooled DB connection and the schema check), polled every 5 ms: **median {runs[2]:0} ms** over 5 runs (min {runs[0]:0}, max {runs[4]:0}).").AppendLine();
    }

    async Task ThroughputAsync(Dictionary<string, string> env)
    {
        var port = PostgresServer.FreePort();
        using var app = StartApp(options.R3, env, port);
        using var client = Client(port);
        await WaitReadyAsync(client);
        var ids = await SeedAsync(client, 2000);
        var rows = new List<(LoadResult Result, double Steal)>();
        var random = new Random(42);

        // Warm-up (JIT, pool) before measuring.
        await LoadGenerator.ClosedLoopAsync("warm-up", client, 16, TimeSpan.FromSeconds(3), _ => Get(ids[random.Next(ids.Count)]));

        rows.Add(await Measure(() => LoadGenerator.ClosedLoopAsync("GET /orders/{id}, closed loop, 32 workers", client, 32, TimeSpan.FromSeconds(10),
            _ => Get(ids[Random.Shared.Next(ids.Count)]))));
        rows.Add(await Measure(() => LoadGenerator.ClosedLoopAsync("POST /orders (Idempotency-Key), closed loop, 32 workers", client, 32, TimeSpan.FromSeconds(10),
            i => Post($"bench-closed-{i}"))));
        rows.Add(await Measure(() => Timed(TimeSpan.FromSeconds(10), stop => LoadGenerator.OpenLoopAsync("GET /orders/{id}, open loop 1000 req/s", client, 1000, stop,
            _ => Get(ids[Random.Shared.Next(ids.Count)])))));
        rows.Add(await Measure(() => Timed(TimeSpan.FromSeconds(10), stop => LoadGenerator.OpenLoopAsync("POST /orders, open loop 300 req/s", client, 300, stop,
            i => Post($"bench-open-{i}")))));
        await StopAsync(app);

        report.AppendLine("### Requests (release 3, schema 4, one instance, keep-alive HTTP/1.1)").AppendLine();
        report.AppendLine("Closed loop = each worker sends its next request when the previous answers (throughput ceiling). Open loop = evenly spaced sends at a fixed rate, latency timed from the scheduled send time (honest tails).").AppendLine();
        Table(rows);
    }

    async Task BackfillAsync()
    {
        const int Rows = 1_000_000;
        var db = await pg.CreateDatabaseNameAsync();
        var env = Env(db);
        await RunCliAsync(options.R1, env, "migrate", "--to", "2");
        var insert = Stopwatch.StartNew();
        // Orders written before the expand: total only, total_cents NULL.
        await pg.AdminAsync($"""
            INSERT INTO orders (id, customer_id, total, currency, status, created_at, updated_at)
            SELECT gen_random_uuid(), 'seed-' || (i % 1000), ((i % 100000) + 1) / 100.0, 'EUR', 'pending', now(), now()
            FROM generate_series(1, {Rows}) i
            """, db);
        await pg.AdminAsync("VACUUM ANALYZE orders", db);
        insert.Stop();

        var port = PostgresServer.FreePort();
        using var app = StartApp(options.R1, env, port); // release 1: the only one that runs on schema 2
        using var client = Client(port);
        await WaitReadyAsync(client);
        var ids = await SeedAsync(client, 500);
        await LoadGenerator.ClosedLoopAsync("warm-up", client, 8, TimeSpan.FromSeconds(3), _ => Get(ids[Random.Shared.Next(ids.Count)]));

        const double Rate = 200;
        Func<long, HttpRequestMessage> mixed = i => i % 5 == 0 ? Post($"bench-bf-{i}") : Get(ids[Random.Shared.Next(ids.Count)]);
        var before = await Measure(() => Timed(TimeSpan.FromSeconds(10), stop =>
            LoadGenerator.OpenLoopAsync($"before: 80% GET / 20% POST, open loop {Rate:0} req/s", client, Rate, stop, mixed)));

        var stealFrom = CpuSample.Read();
        var migrateClock = Stopwatch.StartNew();
        var migrate = RunCliAsync(options.R1, env, "migrate", "--to", "3");
        var during = await LoadGenerator.OpenLoopAsync($"during backfill: same mix, open loop {Rate:0} req/s", client, Rate, () => !migrate.IsCompleted, mixed);
        var output = await migrate;
        migrateClock.Stop();
        var duringSteal = CpuSample.StealPercent(stealFrom, CpuSample.Read());
        await StopAsync(app);

        var result = JsonDocument.Parse(output).RootElement;
        var backfilled = result.GetProperty("stats").GetProperty("backfill_rows").GetInt64();
        var batches = result.GetProperty("stats").GetProperty("backfill_batches").GetInt64();
        report.AppendLine("### Backfill of 1,000,000 rows under live traffic (migration 3, release 1 serving on schema 2 -> 3)").AppendLine();
        report.AppendLine($"Seeded {Rows:N0} pre-expand rows (total only) in {insert.Elapsed.TotalSeconds:0.0} s. `Orders.Api migrate --to 3` (batches of 5,000 rows, each its own transaction, then `VALIDATE CONSTRAINT`) took **{migrateClock.Elapsed.TotalSeconds:0.0} s** end to end: {backfilled:N0} rows in {batches} batches, **{backfilled / migrateClock.Elapsed.TotalSeconds:N0} rows/s** (process start and validation included).").AppendLine();
        Table([before, (during, duringSteal)]);
        report.AppendLine($"Live traffic during the backfill: p99 {before.Result.P99Ms:0.0} ms before vs {during.P99Ms:0.0} ms during, {during.Errors} errors during (of {during.Sent:N0} requests).").AppendLine();
    }

    async Task<(LoadResult Result, double Steal)> Measure(Func<Task<LoadResult>> run)
    {
        var from = CpuSample.Read();
        var result = await run();
        return (result, CpuSample.StealPercent(from, CpuSample.Read()));
    }

    static async Task<LoadResult> Timed(TimeSpan duration, Func<Func<bool>, Task<LoadResult>> run)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return await run(() => Stopwatch.GetTimestamp() < until);
    }

    void Table(List<(LoadResult Result, double Steal)> rows)
    {
        report.AppendLine("| load | requests | errors | req/s | p50 ms | p99 ms | max ms | CPU steal |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (r, steal) in rows)
            report.AppendLine($"| {r.Name} | {r.Sent:N0} | {r.Errors} | {r.Rps:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0} | {steal:0.0} % |");
        report.AppendLine();
    }

    async Task<List<string>> SeedAsync(HttpClient client, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.SendAsync(Post($"seed-{Guid.NewGuid()}"));
            response.EnsureSuccessStatusCode();
            ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        }
        return ids;
    }

    static HttpRequestMessage Get(string id) => new(HttpMethod.Get, $"/orders/{id}");

    static HttpRequestMessage Post(string key)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent("""{"customerId":"bench","total":19.99,"currency":"EUR"}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("Idempotency-Key", key);
        return message;
    }

    static HttpClient Client(int port) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    static async Task WaitReadyAsync(HttpClient client)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var r = await client.GetAsync("/healthz/ready");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("app never became ready");
    }

    Dictionary<string, string> Env(string database) => new()
    {
        ["ORDERS_DB_HOST"] = "127.0.0.1",
        ["ORDERS_DB_PORT"] = pg.Port.ToString(),
        ["ORDERS_DB_NAME"] = database,
        ["ORDERS_DB_USER"] = PostgresServer.AppUser,
        ["ORDERS_DB_PASSWORD_FILE"] = pg.PasswordFile,
        ["ORDERS_DRAIN_DELAY_SECONDS"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    static Process StartApp(string dir, Dictionary<string, string> env, int port, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(dir, "Orders.Api")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        if (port > 0) psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task<string> RunCliAsync(string dir, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(dir, "Orders.Api")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"Orders.Api {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    static async Task StopAsync(Process process)
    {
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        await process.WaitForExitAsync();
    }

    static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (Exception) { return "n/a"; }
    }

    static string CpuModel()
    {
        try { return File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("model name")).Split(':', 2)[1].Trim(); }
        catch (Exception) { return "unknown CPU"; }
    }
}

static class MarkdownSection
{
    /// <summary>Replaces (or appends) one "## " section, leaving every other team's sections untouched.</summary>
    public static void Replace(string file, string heading, string section)
    {
        var text = File.Exists(file) ? File.ReadAllText(file) : "# Benchmarks\n\n";
        var start = text.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            File.WriteAllText(file, text.TrimEnd('\n') + "\n\n" + section.TrimEnd('\n') + "\n");
            return;
        }
        var next = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var end = next < 0 ? text.Length : next + 1;
        File.WriteAllText(file, text[..start] + section.TrimEnd('\n') + "\n" + (next < 0 ? "" : "\n" + text[end..]));
    }
}
