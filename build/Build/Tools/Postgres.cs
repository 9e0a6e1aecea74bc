using System.Globalization;

namespace Pipeline.Tools;

/// <summary>
/// argv for a PostgreSQL 15 cluster owned by the pipeline. initdb and postgres refuse to run as root, so
/// every server-side command runs as the <c>postgres</c> OS user through runuser.
/// </summary>
public static class Postgres
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    public const string OsUser = "postgres";

    private static ToolCommand AsPostgres(string binary, params string[] args) =>
        new("runuser", ["-u", OsUser, "--", Path.Combine(BinDir, binary), .. args]);

    /// <summary>Local (socket) connections use peer auth for the admin; TCP needs a SCRAM password.</summary>
    public static ToolCommand InitDb(string dataDir) =>
        AsPostgres("initdb", "-D", dataDir, "-U", OsUser, "-E", "UTF8", "--locale=C", "--auth-local=peer", "--auth-host=scram-sha-256");

    /// <summary>max_connections is declared (singleHost.postgresMaxConnections, checked by PostgresCapacity), never the default.</summary>
    public static ToolCommand Start(string dataDir, string logFile, int port, string socketDir, int maxConnections) =>
        AsPostgres("pg_ctl", "-D", dataDir, "-l", logFile, "-w", "-t", "30",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {socketDir} -c listen_addresses=127.0.0.1 -c max_connections={maxConnections}"), "start");

    /// <summary>
    /// How many huge pages the stopped cluster's shared memory takes with the declared max_connections (PostgreSQL
    /// computes it: shared_buffers, WAL buffers, lock tables…). Only on a stopped cluster.
    /// </summary>
    public static ToolCommand SharedMemoryHugePages(string dataDir, int maxConnections) =>
        AsPostgres("postgres", "-D", dataDir, "-c", string.Create(CultureInfo.InvariantCulture, $"max_connections={maxConnections}"), "-C", "shared_memory_size_in_huge_pages");

    public static ToolCommand Stop(string dataDir) => AsPostgres("pg_ctl", "-D", dataDir, "-w", "-t", "30", "-m", "fast", "stop");

    /// <summary>Re-reads pg_hba.conf and postgresql.conf without a restart (connections stay up).</summary>
    public static ToolCommand Reload(string dataDir) => AsPostgres("pg_ctl", "-D", dataDir, "reload");

    /// <summary>Exit 0 running, 3 not running, 4 no data directory.</summary>
    public static ToolCommand Status(string dataDir) => AsPostgres("pg_ctl", "-D", dataDir, "status");

    /// <summary>SQL on stdin (so a password in it never reaches argv); the caller lists the secret for masking.</summary>
    public static ToolCommand Psql(string socketDir, int port, string database, string sql, params string[] secrets) =>
        AsPostgres("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDir, "-p", port.ToString(CultureInfo.InvariantCulture), "-d", database, "-At", "-f", "-")
            with { StandardInput = sql, Secrets = secrets };
}
