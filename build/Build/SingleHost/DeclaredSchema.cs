using System.Globalization;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>
/// What the applied migrations declare, derived so that it cannot drift itself: the release's own migrator
/// (`migrate --to N`, every build carries every migration) applied to a throwaway database in the same cluster,
/// whose catalog is then compared with the real one. No schema file to keep in step by hand.
/// </summary>
public sealed class DeclaredSchema(SingleHostSession session)
{
    private SingleHostLayout L => session.Layout;
    private int Port => session.Config.SingleHost.PostgresPort;

    private string Psql(string database, string sql) =>
        session.Runner.Run(Postgres.Psql(L.PostgresSocketDir, Port, database, sql)).StandardOutput;

    /// <summary>Drift lines between the database and <paramref name="image"/>'s migrations 1..<paramref name="version"/> (empty: none).</summary>
    public IReadOnlyList<string> Differences(string image, int version)
    {
        var scratch = $"{SingleHostLayout.DbName}_declared_{Guid.NewGuid():N}"[..40];
        Psql("postgres", $"CREATE DATABASE {scratch} OWNER {SingleHostLayout.DbUser};\n");
        try
        {
            var env = new AppInstances(session).DbEnvironment();
            env["ORDERS_DB_NAME"] = scratch;
            var migrate = session.Runner.Run(Podman.RunOnceWithDatabase(image, L.SecretName, env, L.PostgresSocketDir, "migrate", "--to", version.ToString(CultureInfo.InvariantCulture)),
                allowFailure: true, timeout: TimeSpan.FromMinutes(5));
            if (migrate.ExitCode != 0)
                return [$"database schema: cannot derive what migrations 1–{version} declare (migrate --to {version} of a throwaway database failed, exit {migrate.ExitCode})"];
            var declared = SchemaCatalog.Parse(Psql(scratch, SchemaCatalog.Query));
            var actual = SchemaCatalog.Parse(Psql(SingleHostLayout.DbName, SchemaCatalog.Query));
            return SchemaCatalog.Diff(declared, actual, version);
        }
        finally
        {
            session.Runner.Run(Postgres.Psql(L.PostgresSocketDir, Port, "postgres", $"DROP DATABASE IF EXISTS {scratch} WITH (FORCE);\n"), allowFailure: true);
        }
    }
}
