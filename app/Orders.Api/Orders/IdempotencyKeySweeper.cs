using Npgsql;
using NpgsqlTypes;
using Orders.Api.Configuration;

namespace Orders.Api.Orders;

public sealed record SweepResult(long Deleted, int Batches);

/// <summary>
/// Deletes idempotency keys older than ORDERS_IDEMPOTENCY_RETENTION_HOURS (24 h, as Stripe keeps them), off the
/// request path. Without it the table grows by every keyed POST forever (12 a second under the drill's load
/// tester: a million rows a day) and its index with it. Small batches, each its own short statement, with a pause
/// between them: one big DELETE would hold row locks and bloat WAL while requests insert keys next to it.
/// SKIP LOCKED: several instances sweeping at once take different rows instead of queueing on each other.
/// </summary>
public sealed class IdempotencyKeySweeper(NpgsqlDataSource db, AppSettings settings, ILogger<IdempotencyKeySweeper> logger) : BackgroundService
{
    static readonly TimeSpan PauseBetweenBatches = TimeSpan.FromMilliseconds(50);
    bool _lastFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.IdempotencySweepInterval);
        do
        {
            try
            {
                var r = await SweepAsync(stoppingToken);
                if (r.Deleted > 0) logger.LogInformation("Expired {Deleted} idempotency keys older than {Hours} h in {Batches} batches", r.Deleted, settings.IdempotencyRetention.TotalHours, r.Batches);
                _lastFailed = false;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // Before the first migrate, or while the database is away: try again next tick.
                if (!_lastFailed) logger.LogWarning("Idempotency key sweep failed: {Error}", ex.Message);
                _lastFailed = true;
            }
        } while (await WaitAsync(timer, stoppingToken));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>One sweep: batches of ORDERS_IDEMPOTENCY_SWEEP_BATCH until a batch comes back short.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken ct)
    {
        long deleted = 0;
        var batches = 0;
        while (!ct.IsCancellationRequested)
        {
            await using var cmd = db.CreateCommand("""
                DELETE FROM idempotency_keys WHERE key IN (
                    SELECT key FROM idempotency_keys WHERE created_at < now() - $1
                    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
                """);
            cmd.Parameters.Add(new() { Value = settings.IdempotencyRetention, NpgsqlDbType = NpgsqlDbType.Interval });
            cmd.Parameters.Add(new() { Value = settings.IdempotencySweepBatch, NpgsqlDbType = NpgsqlDbType.Integer });
            var n = await cmd.ExecuteNonQueryAsync(ct);
            if (n == 0) break;
            deleted += n;
            batches++;
            if (n < settings.IdempotencySweepBatch) break;
            await Task.Delay(PauseBetweenBatches, ct);
        }
        return new(deleted, batches);
    }
}
