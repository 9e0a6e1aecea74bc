using Npgsql;
using Orders.Api.Configuration;

namespace Orders.Api.Data;

public static class Database
{
    /// <summary>
    /// One pooled data source per process. The slim builder is the trimming-safe one and knows every type
    /// this app uses (uuid, text, bigint, numeric, timestamptz, bytea).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(AppSettings settings, BuildInfo build, string role) =>
        new NpgsqlSlimDataSourceBuilder(settings.ConnectionString($"orders-api {build.Version} {role}")).Build();

    /// <summary>Current schema version: 0 when nothing was ever migrated.</summary>
    public static async Task<int> ReadSchemaVersionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        try
        {
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
