using Npgsql;

namespace Orders.Api.Migrations;

/// <summary>
/// expand: additive, safe under every running version. migrate: moves data, runs while traffic flows.
/// contract: removes what an older version still needs; only allowed when no such version is alive.
/// </summary>
public enum MigrationPhase { Expand, Migrate, Contract }

/// <summary>One versioned schema step. Apply must be idempotent: a crash between applying and recording
/// it is repaired by running `migrate` again.</summary>
public sealed record Migration(int Version, string Name, MigrationPhase Phase, Func<MigrationContext, CancellationToken, Task> Apply);

public sealed class MigrationContext(NpgsqlConnection connection, int batchSize, ILogger logger)
{
    /// <summary>How long a DDL statement may queue for its table lock before giving up and retrying.</summary>
    static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);
    const int DdlAttempts = 5;

    public NpgsqlConnection Connection { get; } = connection;
    public int BatchSize { get; } = batchSize;
    public ILogger Logger { get; } = logger;
    public Dictionary<string, long> Stats { get; } = new();

    /// <summary>
    /// Runs DDL in one transaction with a short lock_timeout. An ALTER TABLE waiting behind a long
    /// transaction blocks every query queued behind it; without the timeout a migration can take the whole
    /// service down while it waits. On timeout it backs off and retries.
    /// </summary>
    public async Task RunDdlAsync(string sql, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var tx = await Connection.BeginTransactionAsync(ct);
                await using (var setTimeout = new NpgsqlCommand($"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'", Connection, tx))
                    await setTimeout.ExecuteNonQueryAsync(ct);
                await using (var ddl = new NpgsqlCommand(sql, Connection, tx))
                    await ddl.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < DdlAttempts)
            {
                Logger.LogWarning("DDL could not get its lock within {Timeout} s (attempt {Attempt}/{Max}); retrying",
                    LockTimeout.TotalSeconds, attempt, DdlAttempts);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }
    }
}
