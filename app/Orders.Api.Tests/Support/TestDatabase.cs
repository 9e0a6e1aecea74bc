using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orders.Api.Configuration;
using Orders.Api.Migrations;

namespace Orders.Api.Tests.Support;

/// <summary>One empty database on the shared server, plus the environment an app needs to reach it.</summary>
public sealed class TestDatabase(PostgresServer server, string name)
{
    public string Name { get; } = name;
    public PostgresServer Server { get; } = server;

    /// <summary>The ORDERS_* variables exactly as a deployment would set them (password via file).</summary>
    public Dictionary<string, string?> Env(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var env = new Dictionary<string, string?>
        {
            [AppSettings.DbHostVar] = "127.0.0.1",
            [AppSettings.DbPortVar] = Server.Port.ToString(),
            [AppSettings.DbNameVar] = Name,
            [AppSettings.DbUserVar] = PostgresServer.AppUser,
            [AppSettings.DbPasswordFileVar] = Server.PasswordFile,
            [AppSettings.DrainDelayVar] = "0",
            [AppSettings.ShutdownTimeoutVar] = "10",
            [AppSettings.InstanceIdVar] = "test-" + Guid.NewGuid().ToString("N")[..8],
        };
        if (overrides is not null)
            foreach (var (key, value) in overrides) env[key] = value;
        return env;
    }

    public AppSettings Settings(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var env = Env(overrides);
        return AppSettings.Load(key => env.GetValueOrDefault(key));
    }

    public NpgsqlDataSource DataSource(AppSettings? settings = null) =>
        new NpgsqlSlimDataSourceBuilder((settings ?? Settings()).ConnectionString("orders-tests")).Build();

    public async Task<MigrationResult> MigrateAsync(int to, int release = 3, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = Settings(overrides);
        await using var db = DataSource(settings);
        return await new Migrator(db, settings, BuildInfo.ForRelease(release), NullLogger.Instance).MigrateAsync(to, CancellationToken.None);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var db = DataSource();
        await using var cmd = db.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var db = DataSource();
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
