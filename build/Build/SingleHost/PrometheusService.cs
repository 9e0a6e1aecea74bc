using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>Keeps the environment's Prometheus running; scrape targets come from the file_sd file.</summary>
public sealed class PrometheusService(SingleHostSession session)
{
    private SingleHostLayout L => session.Layout;

    public List<string> Reconcile()
    {
        var changes = new List<string>();
        var rendered = PrometheusConfig.Render(L);
        var running = Daemon.RunningPid(L.PrometheusPid);
        var same = File.Exists(L.PrometheusConfig) && File.ReadAllText(L.PrometheusConfig) == rendered;
        if (running is not null && same) return changes;
        if (session.DryRun) { changes.Add("prometheus: would (re)start"); return changes; }
        Directory.CreateDirectory(L.PrometheusDir);
        File.WriteAllText(L.PrometheusConfig, rendered);
        if (!File.Exists(L.PrometheusTargets)) File.WriteAllText(L.PrometheusTargets, "[]\n");
        if (running is not null)
        {
            // --web.enable-lifecycle: reload keeps the TSDB and the gates' history.
            using var r = SingleHostSession.Http.PostAsync($"http://127.0.0.1:{session.Config.SingleHost.PrometheusPort}/-/reload", null).GetAwaiter().GetResult();
            r.EnsureSuccessStatusCode();
            changes.Add("prometheus: configuration reloaded");
            return changes;
        }
        Daemon.Start(session, PrometheusCommands.Start(L.PrometheusConfig, L.PrometheusData, session.Config.SingleHost.PrometheusPort), L.PrometheusLog, L.PrometheusPid);
        AwaitReady();
        changes.Add($"prometheus: started on 127.0.0.1:{session.Config.SingleHost.PrometheusPort}");
        return changes;
    }

    private void AwaitReady()
    {
        var url = $"http://127.0.0.1:{session.Config.SingleHost.PrometheusPort}/-/ready";
        Poll.Until(() =>
        {
            try
            {
                using var r = SingleHostSession.Http.GetAsync(url).GetAwaiter().GetResult();
                return (r.IsSuccessStatusCode, $"GET /-/ready → {(int)r.StatusCode}");
            }
            catch (HttpRequestException e) { return (false, e.Message); }
        }, TimeSpan.FromSeconds(30), $"Prometheus to answer GET {url} (log: {L.PrometheusLog})", TimeSpan.FromMilliseconds(200));
    }

    public void Remove()
    {
        Daemon.Stop(session, L.PrometheusPid);
        if (!session.DryRun && Directory.Exists(L.PrometheusDir)) Directory.Delete(L.PrometheusDir, recursive: true);
    }
}
