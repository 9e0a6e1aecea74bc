using Npgsql;
using NpgsqlTypes;
using Orders.Api.Configuration;

namespace Orders.Api.Health;

/// <summary>
/// Records in app_instances that this instance is alive and which schema versions it can run on. The migrate
/// command reads these rows to refuse a contract step that a still-running version needs: dropping a column
/// under a live release-2 pod would fail every write it makes. The row is removed after a graceful stop, so a
/// finished rollout does not hold the contract back for the staleness window.
/// </summary>
public sealed class InstanceHeartbeat(NpgsqlDataSource db, BuildInfo build, AppSettings settings, ILogger<InstanceHeartbeat> logger)
    : BackgroundService, IHostedLifecycleService
{
    bool _lastFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.HeartbeatInterval);
        do
        {
            await BeatAsync(stoppingToken);
        } while (await WaitAsync(timer, stoppingToken));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    async Task BeatAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand("""
                INSERT INTO app_instances (instance_id, app_version, app_release, schema_min, schema_max, started_at, last_seen)
                VALUES ($1, $2, $3, $4, $5, now(), now())
                ON CONFLICT (instance_id) DO UPDATE SET app_version = excluded.app_version, app_release = excluded.app_release,
                    schema_min = excluded.schema_min, schema_max = excluded.schema_max, last_seen = now()
                """);
            cmd.Parameters.Add(new() { Value = settings.InstanceId, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new() { Value = build.Version, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new() { Value = build.Release, NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(new() { Value = build.Schema.Min, NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(new() { Value = build.Schema.Max, NpgsqlDbType = NpgsqlDbType.Integer });
            await cmd.ExecuteNonQueryAsync(ct);
            if (_lastFailed) logger.LogInformation("Heartbeat recorded again for instance {InstanceId}", settings.InstanceId);
            _lastFailed = false;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            // app_instances is created by the first `migrate`; until then (and during outages) just retry.
            if (!_lastFailed) logger.LogWarning("Heartbeat failed for instance {InstanceId}: {Error}", settings.InstanceId, ex.Message);
            _lastFailed = true;
        }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var cmd = db.CreateCommand("DELETE FROM app_instances WHERE instance_id = $1 AND app_version = $2");
            cmd.Parameters.Add(new() { Value = settings.InstanceId, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new() { Value = build.Version, NpgsqlDbType = NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Deregistered instance {InstanceId}", settings.InstanceId);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            logger.LogWarning("Could not deregister instance {InstanceId}: {Error}; it expires after {Seconds} s",
                settings.InstanceId, ex.Message, settings.InstanceStaleAfter.TotalSeconds);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
