using System.Diagnostics;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>A daemon the pipeline started and tracks by pid file (HAProxy, Prometheus).</summary>
public static class Daemon
{
    public static int? RunningPid(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) return null;
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited ? null : pid;
        }
        catch (ArgumentException) { return null; }
    }

    public static int Start(SingleHostSession session, ToolCommand command, string logFile, string pidFile)
    {
        var pid = session.Runner.StartDetached(command, logFile);
        if (!session.DryRun) File.WriteAllText(pidFile, pid + "\n");
        return pid;
    }

    /// <summary>SIGTERM to the pid we started (never by name), then wait for it to go.</summary>
    public static void Stop(SingleHostSession session, string pidFile)
    {
        if (RunningPid(pidFile) is not { } pid) return;
        session.Runner.Run(new ToolCommand("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), allowFailure: true);
        // Bounded: a daemon that ignores SIGTERM for 15 s gets SIGKILL.
        if (!Poll.Within(() => RunningPid(pidFile) is null, TimeSpan.FromSeconds(15)))
            session.Runner.Run(new ToolCommand("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), allowFailure: true);
        File.Delete(pidFile);
    }

    public static void AwaitFile(string path, TimeSpan timeout, string what) =>
        Poll.Until(() => File.Exists(path) ? (true, "present") : (false, $"{path} missing"), timeout, $"{what} to create {path}", TimeSpan.FromMilliseconds(50));
}
