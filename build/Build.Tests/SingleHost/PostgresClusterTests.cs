using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.SingleHost;

[Trait("Category", "Integration")]
public sealed class PostgresClusterTests : IDisposable
{
    private readonly SingleHostTestEnvironment _env = new();
    private PostgresCluster Cluster => new(_env.Session);
    private SingleHostLayout L => _env.Session.Layout;
    private int Port => _env.Config.SingleHost.PostgresPort;

    private string Sql(string database, string sql) =>
        _env.Runner.Run(Postgres.Psql(L.PostgresSocketDir, Port, database, sql)).StandardOutput.Trim();

    private int LoginOverTcp(string password) =>
        _env.Runner.Run(new ToolCommand("psql", "-X", "-At", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", SingleHostLayout.DbUser, "-d", SingleHostLayout.DbName, "-c", "SELECT 1")
            { Environment = new Dictionary<string, string> { ["PGPASSWORD"] = password, ["PGCONNECT_TIMEOUT"] = "5" } }, allowFailure: true).ExitCode;

    // The outage this prevents: a failing ALTER ROLE … PASSWORD '<plain>' is written to the server log with its
    // statement (log_min_error_statement=error is the default), and so is every statement under log_statement=all.
    [Fact]
    public void The_password_never_reaches_the_server_log_even_when_setting_it_fails()
    {
        var first = DbPassword.EnsureFile(Path.Combine(_env.Dir, "first.pw"));
        Cluster.Reconcile(first);
        Assert.Equal(0, LoginOverTcp(first));
        Assert.StartsWith("SCRAM-SHA-256$4096:", Sql("postgres", $"SELECT rolpassword FROM pg_authid WHERE rolname = '{SingleHostLayout.DbUser}';\n"));

        Sql("postgres", "ALTER SYSTEM SET log_statement = 'all';\nALTER SYSTEM SET log_min_error_statement = 'error';\nSELECT pg_reload_conf();\n");
        // A new password, set again: logged in full under log_statement=all, and the login works with it.
        var second = DbPassword.EnsureFile(Path.Combine(_env.Dir, "second.pw"));
        Cluster.Reconcile(second);
        Assert.Equal(0, LoginOverTcp(second));
        Assert.NotEqual(0, LoginOverTcp(first));

        // Now make the ALTER ROLE fail: its statement goes to the log as the failing one.
        Sql("postgres", "ALTER DATABASE postgres SET default_transaction_read_only = on;\n");
        var third = DbPassword.EnsureFile(Path.Combine(_env.Dir, "third.pw"));
        var failure = Assert.Throws<ToolFailedException>(() => Cluster.Reconcile(third));
        Assert.DoesNotContain(third, failure.Message);

        var log = File.ReadAllText(L.PostgresLog);
        Assert.Contains("cannot execute ALTER ROLE in a read-only transaction", log);
        Assert.Contains("STATEMENT:  ALTER ROLE", log);
        Assert.Contains("statement: ALTER ROLE", log);
        foreach (var password in new[] { first, second, third }) Assert.DoesNotContain(password, log);
    }

    // A new backend per pooled connection at every instance start: with 4 kB pages each faulted in PostgreSQL's
    // shared memory page by page (~33 ms of CPU on this VM, ~17 ms on 2 MB pages). The postmaster's shared memory
    // must be on huge pages after Reconcile.
    [Fact]
    public void The_clusters_shared_memory_is_on_huge_pages()
    {
        Cluster.Reconcile(DbPassword.EnsureFile(Path.Combine(_env.Dir, "pw")));
        var postmaster = File.ReadLines(Path.Combine(L.PostgresData, "postmaster.pid")).First().Trim();
        var smaps = File.ReadAllText($"/proc/{postmaster}/smaps");
        Assert.Contains("anon_hugepage", smaps, StringComparison.Ordinal);
    }

    // What an app container does (uid 1654, the socket directory, its password): the only way it reaches the
    // database once containers have no route to the host's loopback. Run as uid 1654 on the host, no container needed.
    private int LoginAsAppUserOverSocket(string? password)
    {
        var env = new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "5" };
        if (password is not null) env["PGPASSWORD"] = password;
        return _env.Runner.Run(new ToolCommand("setpriv", "--reuid=1654", "--regid=1654", "--clear-groups", "--",
            "psql", "-X", "-At", "-w", "-h", L.PostgresSocketDir, "-p", Port.ToString(), "-U", SingleHostLayout.DbUser, "-d", SingleHostLayout.DbName, "-c", "SELECT 1")
            { Environment = env }, allowFailure: true).ExitCode;
    }

    [Fact]
    public void Uid_1654_reaches_the_database_over_the_socket_directory_with_the_password_and_not_without()
    {
        var password = DbPassword.EnsureFile(Path.Combine(_env.Dir, "app.pw"));
        Cluster.Reconcile(password);
        Assert.True(File.Exists(Path.Combine(L.PostgresSocketDir, $".s.PGSQL.{Port}")), "the server listens in the socket directory the containers mount");
        Assert.Equal(0, LoginAsAppUserOverSocket(password));
        Assert.NotEqual(0, LoginAsAppUserOverSocket(null));   // initdb's `peer` or a `trust` line would let this in (or refuse the right one)
        Assert.NotEqual(0, LoginAsAppUserOverSocket("wrong"));
        // Idempotent: a second Reconcile neither restarts nor reloads.
        Assert.Empty(Cluster.Reconcile(password));
    }

    public void Dispose() => _env.Dispose();
}
