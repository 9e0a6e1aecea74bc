using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>Keeps the environment's HAProxy running with the rendered configuration.</summary>
public sealed class HaproxyService(SingleHostSession session)
{
    private SingleHostLayout L => session.Layout;

    /// <summary>HAProxy runs the configuration rendered from the environment (reloaded seamlessly when it differs).</summary>
    public List<string> Reconcile() => Apply(HaproxyConfig.Render(L));

    /// <summary>HAProxy runs <paramref name="rendered"/>: checked first, then a seamless reload (or a start).</summary>
    public List<string> Apply(string rendered)
    {
        var changes = new List<string>();
        var running = Daemon.RunningPid(L.HaproxyPid);
        var same = File.Exists(L.HaproxyConfig) && File.ReadAllText(L.HaproxyConfig) == rendered;
        if (running is not null && same) return changes;
        if (session.DryRun) { changes.Add("haproxy: would (re)start"); return changes; }
        Directory.CreateDirectory(L.HaproxyDir);
        var candidate = L.HaproxyConfig + ".new";
        File.WriteAllText(candidate, rendered);
        session.Runner.Run(HaproxyCommands.Check(candidate));
        File.Move(candidate, L.HaproxyConfig, overwrite: true);
        if (running is { } old)
        {
            // Keep server states (enabled instances, weights) across the reload, then hand the sockets over.
            File.WriteAllText(Path.Combine(L.HaproxyDir, "server-state"), HaproxyRuntime.Send(L.HaproxySocket, "show servers state"));
            Daemon.Start(session, HaproxyCommands.Reload(L.HaproxyConfig, L.HaproxyPid, L.HaproxySocket, old), L.HaproxyLog, L.HaproxyPid);
            changes.Add("haproxy: configuration changed, reloaded seamlessly");
        }
        else
        {
            if (File.Exists(L.HaproxySocket)) File.Delete(L.HaproxySocket);
            Daemon.Start(session, HaproxyCommands.Start(L.HaproxyConfig, L.HaproxyPid), L.HaproxyLog, L.HaproxyPid);
            changes.Add($"haproxy: started on 127.0.0.1:{session.Config.SingleHost.LoadBalancerPort} (stats {session.Config.SingleHost.StatsPort})");
        }
        Daemon.AwaitFile(L.HaproxySocket, TimeSpan.FromSeconds(10), "HAProxy");
        AwaitSocketAnswers();
        return changes;
    }

    private void AwaitSocketAnswers() =>
        Poll.Until(() =>
        {
            try { HaproxyRuntime.Send(L.HaproxySocket, "show info"); return (true, "answered"); }
            catch (System.Net.Sockets.SocketException e) { return (false, e.Message); }
        }, TimeSpan.FromSeconds(10), $"HAProxy's runtime socket {L.HaproxySocket} to answer 'show info'", TimeSpan.FromMilliseconds(50));

    public void Remove()
    {
        Daemon.Stop(session, L.HaproxyPid);
        if (!session.DryRun && Directory.Exists(L.HaproxyDir)) Directory.Delete(L.HaproxyDir, recursive: true);
    }
}
