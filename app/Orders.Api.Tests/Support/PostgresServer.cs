using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Orders.Api.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb into a temp dir, a free loopback port, the unix
/// socket inside the temp dir, fsync off. TCP connections need a password (scram), so the app's
/// password-file path is exercised for real; the superuser connects over the unix socket. As root, the
/// server binaries run as the `postgres` OS user (initdb refuses root). No xunit types here: the benchmark
/// (app/Orders.Bench) compiles this file too.
/// </summary>
public sealed partial class PostgresServer
{
    public const string AppUser = "orders_app";
    static int _databaseCounter;

    readonly string _bin = Environment.GetEnvironmentVariable("ORDERS_TEST_PG_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";
    readonly bool _asRoot = Environment.UserName == "root";
    string _root = "";
    string DataDir => Path.Combine(_root, "data");

    public int Port { get; private set; }
    public string AppPassword { get; } = "pw-" + Guid.NewGuid().ToString("N")[..12];
    public string PasswordFile { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("orders-pg-").FullName;
        if (_asRoot) await RunAsync("chown", ["postgres:postgres", _root]);
        await RunPgAsync("initdb", ["-D", DataDir, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"]);
        Port = FreePort();
        await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopImmediately();

        PasswordFile = Path.Combine(_root, "db-password");
        await File.WriteAllTextAsync(PasswordFile, AppPassword + "\n");
        await AdminAsync($"CREATE ROLE {AppUser} LOGIN PASSWORD '{AppPassword}'");
    }

    public Task StartAsync() => RunPgAsync("pg_ctl", ["-D", DataDir, "-w", "-t", "30", "-l", Path.Combine(_root, "server.log"), "start", "-o",
        $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"]);

    public Task StopAsync() => RunPgAsync("pg_ctl", ["-D", DataDir, "-w", "-m", "fast", "stop"]);

    int[] _paused = [];

    /// <summary>
    /// Freezes the server like `podman pause` (SIGSTOP to the postmaster and every backend): connections are
    /// still accepted by the kernel but nothing answers, the nastiest way a database can be slow. Unlike a
    /// stopped server (connection refused at once), it makes every caller wait for its own timeout.
    /// </summary>
    public async Task PauseAsync()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).First().Trim());
        _paused = [postmaster, .. ChildrenOf(postmaster)];
        await RunAsync("kill", ["-STOP", .. _paused.Select(p => p.ToString())]);
    }

    public async Task ResumeAsync()
    {
        if (_paused.Length == 0) return;
        await RunAsync("kill", ["-CONT", .. _paused.Select(p => p.ToString())]);
        _paused = [];
    }

    static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; } // exited meanwhile
            // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1]) == parent) yield return pid;
        }
    }

    /// <summary>A fresh, empty database owned by the app role: every test class (or test) gets its own.</summary>
    public async Task<string> CreateDatabaseNameAsync()
    {
        var name = $"orders_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await AdminAsync($"CREATE DATABASE {name} OWNER {AppUser} TEMPLATE template0");
        return name;
    }

    public async Task AdminAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection($"Host={_root};Port={Port};Username=postgres;Database={database};Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        StopImmediately();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        await Task.CompletedTask;
    }

    void StopImmediately()
    {
        if (_paused.Length > 0) try { ResumeAsync().Wait(TimeSpan.FromSeconds(5)); } catch { }
        if (!File.Exists(Path.Combine(DataDir, "postmaster.pid"))) return;
        try { RunPgAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "stop"]).Wait(TimeSpan.FromSeconds(20)); } catch { }
    }

    Task RunPgAsync(string tool, string[] args) =>
        _asRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : RunAsync(Path.Combine(_bin, tool), args);

    static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
