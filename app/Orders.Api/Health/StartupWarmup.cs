using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Orders.Api.Configuration;
using Orders.Api.Http;
using Orders.Api.Orders;

namespace Orders.Api.Health;

/// <summary>
/// What a new instance does before its readiness turns green: opens several pooled connections, runs the
/// write path once in a transaction that is rolled back (<see cref="OrderStore.WarmAsync"/>), and puts the request
/// and response contracts through their serializers. WHY: the pool opened one connection per new concurrent request
/// and every first use paid its one-time cost (on the JIT image: compiling each method fully optimised) — a new
/// instance that had only seen the pipeline's few warm-up reads answered its first second of real traffic at a
/// median of 50 ms (reads) and 165-214 ms (writes) against 6-16 ms on the warm ones, and failed the canary gate on
/// latency (release drill with the JIT image, docs/BENCHMARKS.md). The Native AOT image compiles nothing at run time;
/// the pooled connections and first-use initialisation (Npgsql's type handlers, statement setup) remain.
/// Nothing is stored; a failure (database not there yet) is retried every second while readiness says why it is red.
/// </summary>
public sealed class StartupWarmup(OrderStore store, NpgsqlDataSource db, AppSettings settings, ReadinessState readiness, ILogger<StartupWarmup> logger)
    : BackgroundService
{
    /// <summary>Connections opened before readiness turns green (at most the pool's size): about what the instance's share of 200 req/s keeps busy.</summary>
    public const int Connections = 4;

    static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sw = Stopwatch.StartNew();
        string? lastError = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var opened = await WarmOnceAsync(stoppingToken);
                readiness.MarkWarm();
                logger.LogInformation("Warm-up done in {Elapsed} ms: write path (rolled back), JSON contracts, {Connections} pooled connections",
                    sw.ElapsedMilliseconds, opened);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                if (e.Message != lastError) logger.LogWarning("Warm-up failed, retrying every second: {Error}", e.Message);
                lastError = e.Message;
                readiness.WarmupFailed(e.Message);
            }
            try { await Task.Delay(RetryEvery, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    async Task<int> WarmOnceAsync(CancellationToken ct)
    {
        var count = Math.Min(Connections, settings.DbMaxPoolSize);
        // One after another, each held open so the pool really grows to `count`. WHY not all at once: every one is a
        // new PostgreSQL backend (~20-40 ms of the server's CPU at full weight, whatever weight this instance has),
        // and four forked in the same instant took both cores from the serving instances for ~150 ms on a 2-core
        // host (perf of the 12-07 release drill). In sequence they cost the same CPU, one core at a time.
        var connections = new List<NpgsqlConnection>(count);
        try
        {
            for (var i = 0; i < count; i++) connections.Add(await db.OpenConnectionAsync(ct));
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync(); // back to the pool, open
        }
        await store.WarmAsync($"warmup-{Guid.NewGuid():N}", ct);
        var request = JsonSerializer.Deserialize("""{"customerId":"warm-up","total":1.00,"currency":"EUR"}""", AppJsonContext.Default.CreateOrderRequest)!;
        var response = new OrderResponse(Guid.CreateVersion7(), request.CustomerId!, request.Total!.Value, request.Currency!, OrderStatus.Pending,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        JsonSerializer.Serialize(new OrderPage([response], null), AppJsonContext.Default.OrderPage);
        return count;
    }
}
