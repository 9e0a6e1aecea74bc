using Pipeline.Tests.Support;
using System.Diagnostics;

namespace Pipeline.Tests.Image;

/// <summary>
/// A PostgreSQL 15 cluster in a temp dir on a free loopback port (as root, run as the postgres OS user:
/// initdb refuses root). TCP needs a password (scram), so the image's password-file path is exercised for real.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly bool _asRoot = System.Environment.UserName == "root";
    private readonly string _root = Directory.CreateTempSubdirectory("it-image-pg-").FullName;

    public ThrowawayPostgres()
    {
        if (_asRoot) Run("chown", "postgres:postgres", _root);
        Pg("initdb", "-D", DataDir, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync");
        Port = FreePorts.One();
        Pg("pg_ctl", "-D", DataDir, "-w", "-t", "30", "-l", Path.Combine(_root, "server.log"), "start", "-o",
            $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off");
        Pg("psql", "-h", _root, "-p", Port.ToString(), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
            "-c", $"CREATE ROLE orders LOGIN PASSWORD '{Password}'", "-c", "CREATE DATABASE orders OWNER orders");
        PasswordFile = Path.Combine(_root, "db-password");
        File.WriteAllText(PasswordFile, Password + "\n");
        File.SetUnixFileMode(PasswordFile, (UnixFileMode)Convert.ToInt32("644", 8));
    }

    public int Port { get; }
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N")[..16];
    public string PasswordFile { get; }
    private string DataDir => Path.Combine(_root, "data");

    public void Dispose()
    {
        try { Pg("pg_ctl", "-D", DataDir, "-m", "immediate", "stop"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private void Pg(string tool, params string[] args)
    {
        if (_asRoot) Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. args]);
        else Run(Path.Combine(Bin, tool), args);
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stdout.Result}{stderr.Result}");
    }
}
