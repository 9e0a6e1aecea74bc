using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Orders.Api.Configuration;
using Orders.Api.Data;

namespace Orders.Api.Migrations;

public sealed record AppliedMigration(int Version, string Name, string Phase, DateTimeOffset AppliedAt, string AppliedBy, long DurationMs);
public sealed record PendingMigration(int Version, string Name, string Phase);
public sealed record LiveInstance(string InstanceId, string AppVersion, int SchemaMin, int SchemaMax, DateTimeOffset LastSeen);
public sealed record BuildContract(string Version, int Release, int SchemaMin, int SchemaMax);

public sealed record MigrationStatusReport(
    int CurrentVersion, int LatestVersion, BuildContract Build,
    IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<PendingMigration> Pending, IReadOnlyList<LiveInstance> LiveInstances);

public sealed record MigrationResult(int ExitCode, int FromVersion, int ToVersion, IReadOnlyList<int> Applied, IReadOnlyDictionary<string, long> Stats);

/// <summary>
/// Applies pending migrations up to a target version, one `migrate` at a time (advisory lock), never past
/// the schema_max of a live instance (app_instances heartbeats). Runs as its own command, never at web
/// startup: ten pods starting at once must not race to alter the schema, and a failed migration must fail
/// one job, not crash-loop the whole deployment.
/// </summary>
public sealed class Migrator(NpgsqlDataSource db, AppSettings settings, BuildInfo build, ILogger logger)
{
    public const int ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitRefused = 3;
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    public async Task<MigrationResult> MigrateAsync(int target, CancellationToken ct)
    {
        if (target < 1 || target > MigrationCatalog.Latest)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be between 1 and {MigrationCatalog.Latest}");

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var migrationLock = await AdvisoryLock.AcquireAsync(connection, LockWait, logger, ct);
        await EnsureBookkeepingTablesAsync(connection, ct);

        var from = await Database.ReadSchemaVersionAsync(connection, ct);
        var pending = MigrationCatalog.All.Where(m => m.Version > from && m.Version <= target).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("Schema is at version {Current}; nothing to apply for target {Target}", from, target);
            return new(ExitOk, from, from, [], new Dictionary<string, long>());
        }

        // Refuse up front, before changing anything, if the end state would break a live instance...
        if (await RefuseIfNeededAsync(connection, pending[^1], ct)) return new(ExitRefused, from, from, [], new Dictionary<string, long>());

        var applied = new List<int>();
        var context = new MigrationContext(connection, settings.BackfillBatchSize, logger);
        foreach (var migration in pending)
        {
            // ...and again before each step: an old pod may have started while a long backfill ran.
            if (await RefuseIfNeededAsync(connection, migration, ct))
                return new(ExitRefused, from, applied.LastOrDefault(from), applied, context.Stats);

            logger.LogInformation("Applying migration {Version} ({Phase}): {Name}", migration.Version, Phase(migration), migration.Name);
            var started = Stopwatch.GetTimestamp();
            await migration.Apply(context, ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await RecordAsync(connection, migration, elapsed, ct);
            applied.Add(migration.Version);
            logger.LogInformation("Applied migration {Version} in {ElapsedMs} ms", migration.Version, (long)elapsed.TotalMilliseconds);
        }
        return new(ExitOk, from, applied[^1], applied, context.Stats);
    }

    async Task<bool> RefuseIfNeededAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        var blockers = (await ReadLiveInstancesAsync(connection, ct)).Where(i => i.SchemaMax < migration.Version).ToList();
        if (blockers.Count == 0) return false;
        logger.LogError(
            "Refusing migration {Version} ({Phase}: {Name}): it would move the schema past what live instances support. " +
            "Blocking instances (heartbeat within {Stale} s): {Instances}. Roll those out (or wait until they are gone) and retry; there is no --force.",
            migration.Version, Phase(migration), migration.Name, settings.InstanceStaleAfter.TotalSeconds,
            string.Join(", ", blockers.Select(b => $"{b.InstanceId} (version {b.AppVersion}, schema {b.SchemaMin}..{b.SchemaMax})")));
        return true;
    }

    public async Task<MigrationStatusReport> StatusAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var current = await Database.ReadSchemaVersionAsync(connection, ct);
        var applied = new List<AppliedMigration>();
        var live = new List<LiveInstance>();
        if (current > 0)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT version, name, phase, applied_at, applied_by, duration_ms FROM schema_migrations ORDER BY version", connection);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                applied.Add(new(reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetInt64(5)));
        }
        try { live.AddRange(await ReadLiveInstancesAsync(connection, ct)); }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable) { }

        var pending = MigrationCatalog.All.Where(m => m.Version > current)
            .Select(m => new PendingMigration(m.Version, m.Name, Phase(m))).ToList();
        return new(current, MigrationCatalog.Latest, new(build.Version, build.Release, build.Schema.Min, build.Schema.Max), applied, pending, live);
    }

    async Task<List<LiveInstance>> ReadLiveInstancesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT instance_id, app_version, schema_min, schema_max, last_seen FROM app_instances
            WHERE last_seen > now() - make_interval(secs => $1) ORDER BY instance_id
            """, connection);
        cmd.Parameters.Add(new() { Value = settings.InstanceStaleAfter.TotalSeconds, NpgsqlDbType = NpgsqlDbType.Double });
        var result = new List<LiveInstance>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add(new(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return result;
    }

    /// <summary>The migrator's own tables: not versioned, they must exist before version 1 can be recorded.</summary>
    static async Task EnsureBookkeepingTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                phase       text NOT NULL CHECK (phase IN ('expand', 'migrate', 'contract')),
                applied_at  timestamptz NOT NULL DEFAULT now(),
                applied_by  text NOT NULL,
                duration_ms bigint NOT NULL
            );
            CREATE TABLE IF NOT EXISTS app_instances (
                instance_id text PRIMARY KEY,
                app_version text NOT NULL,
                app_release integer NOT NULL,
                schema_min  integer NOT NULL,
                schema_max  integer NOT NULL,
                started_at  timestamptz NOT NULL DEFAULT now(),
                last_seen   timestamptz NOT NULL DEFAULT now()
            );
            """, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    async Task RecordAsync(NpgsqlConnection connection, Migration migration, TimeSpan elapsed, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, phase, applied_by, duration_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (version) DO NOTHING",
            connection);
        cmd.Parameters.Add(new() { Value = migration.Version, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new() { Value = migration.Name, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = Phase(migration), NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = build.Version, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new() { Value = (long)elapsed.TotalMilliseconds, NpgsqlDbType = NpgsqlDbType.Bigint });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static string Phase(Migration m) => m.Phase.ToString().ToLowerInvariant();
}
