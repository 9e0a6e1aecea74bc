namespace Pipeline.Tools;

/// <summary>argv for the haproxy binary. Day-to-day changes go through the runtime API instead (no reload).</summary>
public static class HaproxyCommands
{
    /// <summary>Checks a rendered configuration without touching the running process.</summary>
    public static ToolCommand Check(string configFile) => new("haproxy", "-c", "-q", "-f", configFile);

    /// <summary>Foreground process (-db) under the runner's detached start: the pid file is written by us, the log kept.</summary>
    public static ToolCommand Start(string configFile, string pidFile) => new("haproxy", "-f", configFile, "-p", pidFile, "-db");

    /// <summary>
    /// Seamless reload: the new process takes the listening sockets from the old one over the stats socket
    /// (expose-fd listeners), and -sf lets the old one finish its connections, so no connection is refused.
    /// </summary>
    public static ToolCommand Reload(string configFile, string pidFile, string statsSocket, int oldPid) =>
        new("haproxy", "-f", configFile, "-p", pidFile, "-db", "-x", statsSocket, "-sf", oldPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
