using System.Globalization;

namespace Pipeline.Config;

/// <summary>
/// The single host's connection arithmetic: every slot that can run an instance at once (a full second set for
/// blue-green plus spares, <c>SingleHostLayout.SlotCount</c>) may fill its pool, and the pipeline's own sessions
/// (migrator, psql, the drill's write check) and PostgreSQL's superuser reserve come on top. Past max_connections,
/// PostgreSQL refuses new connections and every instance's readiness and writes fail together — so a configuration
/// that can get there is refused before anything runs.
/// </summary>
public static class PostgresCapacity
{
    /// <summary>PostgreSQL's default superuser_reserved_connections.</summary>
    public const int SuperuserReserved = 3;

    /// <summary>Migrator, the pipeline's psql, the drill's read-back and a person with psql.</summary>
    public const int PipelineSessions = 5;

    public static int Slots(EnvironmentConfig c) => 2 * c.Replicas + 2;

    public static int Needed(EnvironmentConfig c) => Slots(c) * c.App.DbMaxPoolSize + PipelineSessions + SuperuserReserved;

    public static string? Shortfall(EnvironmentConfig c)
    {
        var needed = Needed(c);
        var max = c.SingleHost.PostgresMaxConnections;
        return needed <= max ? null : string.Create(CultureInfo.InvariantCulture,
            $"singleHost.postgresMaxConnections: {max} is below what the instances can open: {Slots(c)} slots × app.dbMaxPoolSize {c.App.DbMaxPoolSize} + {PipelineSessions} pipeline sessions + {SuperuserReserved} reserved = {needed}; lower app.dbMaxPoolSize or raise postgresMaxConnections (past it PostgreSQL refuses connections and every instance serves 503)");
    }
}
