using System.Diagnostics;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Path = System.IO.Path;

namespace Pipeline.Tools;

public interface IToolRunner
{
    bool DryRun { get; }

    /// <summary>Every command this runner was asked to run, in order (executed or, in dry-run, only planned).</summary>
    IReadOnlyList<ToolCommand> History { get; }

    /// <summary>Runs to completion. Throws <see cref="ToolFailedException"/> on a non-zero exit unless <paramref name="allowFailure"/>.</summary>
    ToolResult Run(ToolCommand command, bool allowFailure = false, TimeSpan? timeout = null);

    /// <summary>Starts a long-lived daemon in its own session, output appended to <paramref name="logFile"/>; returns its pid.</summary>
    int StartDetached(ToolCommand command, string logFile);

    /// <summary>Full path of a tool, or null when it is not installed.</summary>
    string? Find(string tool);

    /// <summary>
    /// Starts a long-running command owned by this process (a watch: <c>podman events</c>) and hands over each line
    /// of its standard output as it arrives. Disposing the stream stops the command.
    /// </summary>
    IToolStream Stream(ToolCommand command, Action<string> onLine) =>
        throw new NotSupportedException($"{GetType().Name} does not stream commands ({command.Tool}).");
}

/// <summary>A running <see cref="IToolRunner.Stream"/>: whether it is still there, and why not when it is not.</summary>
public interface IToolStream : IDisposable
{
    /// <summary>Null while it runs; the exit code once it has ended (a watch that ends is an error for its owner).</summary>
    int? ExitCode { get; }

    /// <summary>The last lines it wrote to standard error.</summary>
    string ErrorTail { get; }
}

/// <summary>
/// The only place where external commands execute: through Cake's process runner, with secrets masked
/// in logs, the tail of the output kept for errors, and nothing executed at all under --dryrun.
/// </summary>
public sealed class ToolRunner(ICakeContext cake, bool dryRun, IEnumerable<string>? extraToolDirs = null) : IToolRunner
{
    private const int TailLines = 25;
    private readonly List<ToolCommand> _history = [];
    private readonly string[] _extraDirs = (extraToolDirs ?? []).ToArray();

    public bool DryRun { get; } = dryRun;
    public IReadOnlyList<ToolCommand> History => _history;

    /// <summary>Where podman commands run: the low-weight CPU group (<see cref="ToolCpuGroup"/>), or null for the caller's own.</summary>
    public ToolCpuGroup? Background { get; init; }

    /// <summary>The tools that run in <see cref="Background"/>: the container commands whose CPU competes with the serving instances.</summary>
    public static readonly IReadOnlySet<string> BackgroundTools = new HashSet<string>(StringComparer.Ordinal) { "podman" };

    /// <summary>What is executed for <paramref name="command"/> resolved to <paramref name="path"/>: the tool itself, or the tool through the CPU group's wrapper.</summary>
    public (string Executable, IReadOnlyList<string> Args) Launch(string path, ToolCommand command) =>
        Background is { } group && BackgroundTools.Contains(command.Tool) ? ("/bin/sh", group.Wrap(path, command)) : (path, command.Args);

    public string? Find(string tool)
    {
        if (tool.Contains('/')) return File.Exists(tool) ? tool : null;
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "";
        return _extraDirs.Concat(path.Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);
    }

    private string Resolve(ToolCommand command) =>
        Find(command.Tool) ?? throw new ToolMissingException(command.Tool, ToolCatalog.InstallHint(command.Tool));

    public ToolResult Run(ToolCommand command, bool allowFailure = false, TimeSpan? timeout = null)
    {
        // A Kubernetes lease is renewed from a background thread while the verb's own commands run.
        lock (_history) _history.Add(command);
        if (DryRun)
        {
            cake.Log.Information("[dry-run] would run: {0}", command);
            return ToolResult.DryRun;
        }
        var (path, args) = Launch(Resolve(command), command);
        cake.Log.Verbose("> {0}", command);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = command.StandardInput is null ? RunWithCake(path, args, command, timeout) : RunWithStdin(path, args, command, timeout);
        // Each podman CLI call costs 0.1–0.3 s of a 2-core host: where a release's wall time goes is this line.
        cake.Log.Debug("< {0} ms exit {1}: {2}", (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, result.ExitCode, command);
        if (result.ExitCode != 0 && !allowFailure)
            throw new ToolFailedException(command, result.ExitCode, Mask(command, Tail(result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput)));
        return result;
    }

    private ToolResult RunWithCake(string path, IReadOnlyList<string> argv, ToolCommand command, TimeSpan? timeout)
    {
        var args = new ProcessArgumentBuilder();
        foreach (var a in argv) args.Append(ArgvQuoting.Quote(a));
        var stderr = new List<string>();
        var settings = new ProcessSettings
        {
            Arguments = args,
            WorkingDirectory = command.WorkingDirectory is null ? null : new DirectoryPath(command.WorkingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Silent = true,
            EnvironmentVariables = command.Environment.ToDictionary(k => k.Key, k => k.Value),
            RedirectedStandardOutputHandler = !command.EchoOutput ? null : line =>
            {
                if (line is not null) cake.Log.Information("  {0}", Mask(command, line));
                return line;
            },
            RedirectedStandardErrorHandler = line =>
            {
                if (line is null) return line;
                lock (stderr) stderr.Add(line);
                if (command.EchoOutput) cake.Log.Information("  {0}", Mask(command, line));
                else cake.Log.Verbose("  {0}", Mask(command, line));
                return line;
            },
        };
        using var process = cake.ProcessRunner.Start(new FilePath(path), settings)
            ?? throw new InvalidOperationException($"Could not start {command.Tool}.");
        var limit = (int)(timeout ?? TimeSpan.FromHours(1)).TotalMilliseconds;
        if (!process.WaitForExit(limit))
        {
            process.Kill();
            throw new ToolFailedException(command, -1, $"timed out after {limit / 1000.0:0.#} s");
        }
        // The timed wait returns at exit, before the redirected streams are drained; the untimed one waits for
        // their end. Without it the last lines (often all of a short command's output) were lost.
        process.WaitForExit();
        var stdout = string.Join('\n', process.GetStandardOutput());
        string err;
        lock (stderr) err = string.Join('\n', stderr);
        return new ToolResult(process.GetExitCode(), stdout, err);
    }

    // Cake's ProcessSettings has no stdin; the few commands that take a secret on stdin run here instead,
    // so the secret never appears in an argv that `ps` can read.
    private static ToolResult RunWithStdin(string path, IReadOnlyList<string> argv, ToolCommand command, TimeSpan? timeout)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory ?? "",
        };
        foreach (var a in argv) psi.ArgumentList.Add(a);
        foreach (var (k, v) in command.Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(command.StandardInput);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromHours(1)))
        {
            p.Kill(entireProcessTree: true);
            throw new ToolFailedException(command, -1, "timed out");
        }
        return new ToolResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public int StartDetached(ToolCommand command, string logFile)
    {
        lock (_history) _history.Add(command);
        if (DryRun)
        {
            cake.Log.Information("[dry-run] would start: {0} (log {1})", command, logFile);
            return 0;
        }
        var path = Resolve(command);
        cake.Log.Verbose("> (detached) {0}", command);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        // setsid: the daemon must outlive this build process and not receive its terminal's signals.
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory ?? "",
        };
        foreach (var a in new[] { "-f", "sh", "-c", "echo $$; exec \"$0\" \"$@\" >>\"$DETACHED_LOG\" 2>&1 </dev/null", path }.Concat(command.Args))
            psi.ArgumentList.Add(a);
        psi.Environment["DETACHED_LOG"] = logFile;
        foreach (var (k, v) in command.Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var firstLine = p.StandardOutput.ReadLine();
        p.WaitForExit();
        return int.TryParse(firstLine, out var pid) ? pid
            : throw new ToolFailedException(command, p.ExitCode, p.StandardError.ReadToEnd());
    }

    public IToolStream Stream(ToolCommand command, Action<string> onLine)
    {
        lock (_history) _history.Add(command);
        if (DryRun)
        {
            cake.Log.Information("[dry-run] would watch: {0}", command);
            return new ProcessStream(null);
        }
        var (path, args) = Launch(Resolve(command), command);
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory ?? "",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in command.Environment) psi.Environment[k] = v;
        cake.Log.Verbose("> (watch) {0}", command);
        var process = new Process { StartInfo = psi };
        var stream = new ProcessStream(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) stream.AddError(Mask(command, line)); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return stream;
    }

    private sealed class ProcessStream(Process? process) : IToolStream
    {
        private readonly Queue<string> _errors = new();

        public int? ExitCode => process is null ? null : process.HasExited ? process.ExitCode : null;

        public string ErrorTail
        {
            get { lock (_errors) return string.Join('\n', _errors); }
        }

        public void AddError(string line)
        {
            lock (_errors)
            {
                _errors.Enqueue(line);
                while (_errors.Count > TailLines) _errors.Dequeue();
            }
        }

        public void Dispose()
        {
            if (process is null) return;
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }

    private static string Tail(string text) =>
        string.Join('\n', text.Split('\n').Where(l => l.Length > 0).TakeLast(TailLines));

    private static string Mask(ToolCommand command, string text)
    {
        foreach (var s in command.Secrets.Where(s => s.Length > 0)) text = text.Replace(s, "***");
        return text;
    }
}
