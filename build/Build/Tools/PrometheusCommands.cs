namespace Pipeline.Tools;

/// <summary>argv for Prometheus (Debian's 2.42).</summary>
public static class PrometheusCommands
{
    public static ToolCommand Start(string configFile, string dataDir, int port) => new("prometheus",
        $"--config.file={configFile}",
        $"--storage.tsdb.path={dataDir}",
        $"--web.listen-address=127.0.0.1:{port}",
        // The pipeline reloads the config (POST /-/reload) instead of restarting: gates keep their history.
        "--web.enable-lifecycle",
        // Short retention: this Prometheus serves release gates, not capacity planning.
        "--storage.tsdb.retention.time=2d");
}
