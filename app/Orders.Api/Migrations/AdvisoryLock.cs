using Npgsql;

namespace Orders.Api.Migrations;

/// <summary>
/// Session-level PostgreSQL advisory lock that serializes `migrate` runs: two pipelines (or a retried job)
/// migrating at once would otherwise race on the same DDL. Held on the migrator's own connection and released
/// by closing it, so a crashed migrator never leaves the lock behind.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>Arbitrary but fixed: "orders" in ASCII.</summary>
    public const long Key = 0x6f72646572730000;

    readonly NpgsqlConnection _connection;

    AdvisoryLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<AdvisoryLock> AcquireAsync(NpgsqlConnection connection, TimeSpan wait, ILogger logger, CancellationToken ct)
    {
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Key})", connection))
            if ((bool)(await tryLock.ExecuteScalarAsync(ct))!)
                return new AdvisoryLock(connection);

        logger.LogWarning("Another migrate run holds the migration lock; waiting up to {Seconds} s", wait.TotalSeconds);
        await using var waitLock = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection) { CommandTimeout = (int)wait.TotalSeconds };
        await waitLock.ExecuteNonQueryAsync(ct);
        logger.LogInformation("Migration lock acquired");
        return new AdvisoryLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
            await unlock.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException) { /* connection gone: the lock went with it */ }
    }
}
