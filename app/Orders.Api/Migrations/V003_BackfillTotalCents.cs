using Npgsql;
using NpgsqlTypes;

namespace Orders.Api.Migrations;

/// <summary>
/// Schema 3 (migrate): copy total into total_cents for rows written before the expand. One UPDATE of a big
/// table would hold row locks on every order for its whole duration and block live status updates; instead
/// walk the primary key in batches (ORDERS_BACKFILL_BATCH_SIZE, default 5,000), each its own short
/// transaction. Then add a validated NOT NULL check so the contract's SET NOT NULL needs no table scan.
/// </summary>
public static class V003_BackfillTotalCents
{
    public static Migration Migration { get; } = new(3, "backfill orders.total_cents", MigrationPhase.Migrate, ApplyAsync);

    static async Task ApplyAsync(MigrationContext ctx, CancellationToken ct)
    {
        var cursor = Guid.Empty;
        long batches = 0, rows = 0;
        var progress = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var cmd = new NpgsqlCommand("""
                WITH batch AS (SELECT id FROM orders WHERE id > $1 ORDER BY id LIMIT $2),
                     updated AS (
                         UPDATE orders o SET total_cents = round(o.total * 100)::bigint
                         FROM batch b
                         WHERE o.id = b.id AND o.total_cents IS NULL AND o.total IS NOT NULL
                         RETURNING 1)
                SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1), (SELECT count(*) FROM updated)
                """, ctx.Connection);
            cmd.Parameters.Add(new() { Value = cursor, NpgsqlDbType = NpgsqlDbType.Uuid });
            cmd.Parameters.Add(new() { Value = ctx.BatchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.IsDBNull(0)) break;
            cursor = reader.GetGuid(0);
            rows += reader.GetInt64(1);
            batches++;
            if (progress.Elapsed > TimeSpan.FromSeconds(5))
            {
                ctx.Logger.LogInformation("Backfill progress: {Rows} rows in {Batches} batches", rows, batches);
                progress.Restart();
            }
        }
        ctx.Stats["backfill_batches"] = batches;
        ctx.Stats["backfill_rows"] = rows;
        ctx.Logger.LogInformation("Backfill done: {Rows} rows updated in {Batches} batches of at most {BatchSize}", rows, batches, ctx.BatchSize);

        // Every writer at schema >= 2 fills total_cents, so after the walk no NULL can remain; VALIDATE proves
        // it (it takes only a SHARE UPDATE EXCLUSIVE lock: reads and writes continue while it scans).
        await ctx.RunDdlAsync("""
            ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_total_cents_not_null;
            ALTER TABLE orders ADD CONSTRAINT orders_total_cents_not_null CHECK (total_cents IS NOT NULL) NOT VALID;
            """, ct);
        await using var validate = new NpgsqlCommand("ALTER TABLE orders VALIDATE CONSTRAINT orders_total_cents_not_null", ctx.Connection);
        validate.CommandTimeout = 0;
        await validate.ExecuteNonQueryAsync(ct);
    }
}
