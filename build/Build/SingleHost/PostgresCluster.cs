using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>The environment's PostgreSQL cluster: created on first Up, bound to 127.0.0.1 only.</summary>
public sealed class PostgresCluster(SingleHostSession session)
{
    private SingleHostLayout L => session.Layout;
    private int Port => session.Config.SingleHost.PostgresPort;
    private int MaxConnections => session.Config.SingleHost.PostgresMaxConnections;

    public bool Exists => File.Exists(Path.Combine(L.PostgresData, "PG_VERSION"));

    public bool IsRunning() => !session.DryRun && Exists && session.Runner.Run(Postgres.Status(L.PostgresData), allowFailure: true).ExitCode == 0;

    /// <summary>Returns what it changed (empty: nothing).</summary>
    public List<string> Reconcile(string password)
    {
        var changes = new List<string>();
        if (!Exists)
        {
            if (!session.DryRun) Directory.CreateDirectory(L.PostgresDir);
            session.Runner.Run(new ToolCommand("chown", Postgres.OsUser + ":" + Postgres.OsUser, L.PostgresDir));
            session.Runner.Run(Postgres.InitDb(L.PostgresData), timeout: TimeSpan.FromMinutes(2));
            changes.Add("postgres: cluster created");
        }
        EnsureSocketDir();
        var hbaChanged = ReconcileHba();
        if (IsRunning() && !File.Exists(SocketFile))
        {
            // A cluster started before its socket moved to the mounted folder: the containers would not find it.
            session.Runner.Run(Postgres.Stop(L.PostgresData), timeout: TimeSpan.FromSeconds(60));
            changes.Add($"postgres: stopped to listen on {L.PostgresSocketDir}");
        }
        if (!IsRunning())
        {
            if (new HugePages(session).ReserveFor(L.PostgresData, MaxConnections) is { } reserved) changes.Add(reserved);
            session.Runner.Run(Postgres.Start(L.PostgresData, L.PostgresLog, Port, L.PostgresSocketDir, MaxConnections), timeout: TimeSpan.FromSeconds(60));
            changes.Add($"postgres: started on 127.0.0.1:{Port} and {L.PostgresSocketDir}");
        }
        else if (hbaChanged)
        {
            session.Runner.Run(Postgres.Reload(L.PostgresData));
            changes.Add("postgres: pg_hba.conf reloaded");
        }
        // Role, password and database, idempotently. The SQL travels on stdin, never in argv, and carries only
        // the SCRAM verifier: the server logs a failing statement in full, and would log the plaintext with it.
        var sql = $"""
            SELECT 'CREATE ROLE {SingleHostLayout.DbUser} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SingleHostLayout.DbUser}')\gexec
            ALTER ROLE {SingleHostLayout.DbUser} PASSWORD '{(session.DryRun ? "SCRAM-SHA-256$<verifier>" : DbPassword.ScramVerifier(password))}';
            SELECT 'CREATE DATABASE {SingleHostLayout.DbName} OWNER {SingleHostLayout.DbUser}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{SingleHostLayout.DbName}')\gexec

            """;
        session.Runner.Run(Postgres.Psql(L.PostgresSocketDir, Port, "postgres", sql, password));
        return changes;
    }

    private string SocketFile => Path.Combine(L.PostgresSocketDir, $".s.PGSQL.{Port}");

    // Owned by postgres (the server creates its socket and lock file there), 0755 so that uid 1654 in a container
    // can reach the socket; the socket itself is 0777 (unix_socket_permissions), the password is the gate.
    private void EnsureSocketDir()
    {
        if (session.DryRun || Directory.Exists(L.PostgresSocketDir)) return;
        Directory.CreateDirectory(L.PostgresSocketDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        session.Runner.Run(new ToolCommand("chown", Postgres.OsUser + ":" + Postgres.OsUser, L.PostgresSocketDir));
    }

    /// <summary>Writes pg_hba.conf when it differs from <see cref="PostgresAccess"/>; true when it did.</summary>
    private bool ReconcileHba()
    {
        var path = Path.Combine(L.PostgresData, "pg_hba.conf");
        var wanted = PostgresAccess.HbaConf(SingleHostLayout.DbUser);
        if (session.DryRun || (File.Exists(path) && File.ReadAllText(path) == wanted)) return false;
        // Rewriting the file initdb created keeps its owner (postgres) and mode (0600).
        File.WriteAllText(path, wanted);
        return true;
    }

    /// <summary>Highest applied migration (0 when none).</summary>
    public int SchemaVersion()
    {
        if (session.DryRun || !IsRunning()) return -1;
        var exists = session.Runner.Run(Postgres.Psql(L.PostgresSocketDir, Port, SingleHostLayout.DbName, "SELECT to_regclass('public.schema_migrations') IS NOT NULL;\n")).StandardOutput.Trim();
        if (exists != "t") return 0;
        var v = session.Runner.Run(Postgres.Psql(L.PostgresSocketDir, Port, SingleHostLayout.DbName, "SELECT coalesce(max(version), 0) FROM schema_migrations;\n")).StandardOutput.Trim();
        return int.TryParse(v, out var n) ? n : 0;
    }

    public void Remove()
    {
        if (IsRunning()) session.Runner.Run(Postgres.Stop(L.PostgresData), allowFailure: true, timeout: TimeSpan.FromSeconds(60));
        if (session.DryRun) return;
        if (Directory.Exists(L.PostgresDir)) Directory.Delete(L.PostgresDir, recursive: true);
        // Outside the state dir (see SingleHostLayout.PostgresDir) the per-environment parent folder goes too.
        var parent = Path.GetDirectoryName(L.PostgresDir)!;
        if (!parent.StartsWith(L.StateDir, StringComparison.Ordinal) && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            Directory.Delete(parent);
    }
}
