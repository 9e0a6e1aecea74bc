using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Orders.Api.Tests.Support;

/// <summary>
/// The built Orders.Api.dll as a separate process: needed where the process boundary is the point (SIGTERM,
/// exit codes, CLI output).
/// </summary>
public sealed class ChildApp : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _stdout = new(), _stderr = new();

    ChildApp(Process process) => _process = process;

    public int Pid => _process.Id;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Next to the test assembly: the project reference copies the app with its runtimeconfig.</summary>
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "Orders.Api.dll");

    public static ChildApp Start(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(AppDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ORDERS_") || k.StartsWith("ASPNETCORE_")).ToList())
            psi.Environment.Remove(key);
        foreach (var (key, value) in env)
            if (value is null) psi.Environment.Remove(key); else psi.Environment[key] = value;

        var process = new Process { StartInfo = psi };
        var child = new ChildApp(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._stdout) child._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._stderr) child._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a command to completion (migrate, schema-contract) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        await using var child = Start(env, args);
        var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, child.Stdout, child.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the async output readers
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
