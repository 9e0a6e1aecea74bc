using Cake.Core.Diagnostics;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>One server as HAProxy reports it (show stat).</summary>
public sealed record LbServer(string Backend, string Server, string Status, int Weight, int CurrentSessions, long Responses, long Errors5xx);

/// <summary>Runtime-API operations on the environment's HAProxy (no reloads; every change is live at once).</summary>
public sealed class LoadBalancer(SingleHostSession session)
{
    private SingleHostLayout Layout => session.Layout;

    private string Send(string command)
    {
        if (session.DryRun)
        {
            session.Log.Information("[dry-run] haproxy runtime: {0}", command);
            return "";
        }
        return HaproxyRuntime.Send(Layout.HaproxySocket, command);
    }

    public IReadOnlyList<LbServer> Servers()
    {
        if (session.DryRun) return [];
        return HaproxyRuntime.ParseStat(Send(HaproxyRuntime.ShowStat))
            .Where(r => r.GetValueOrDefault("svname") is { } sv && sv != "FRONTEND" && sv != "BACKEND")
            .Select(r => new LbServer(r["pxname"], r["svname"], r.GetValueOrDefault("status", ""),
                Int(r, "weight"), Int(r, "scur"), Long(r, "hrsp_1xx") + Long(r, "hrsp_2xx") + Long(r, "hrsp_3xx") + Long(r, "hrsp_4xx") + Long(r, "hrsp_5xx") + Long(r, "hrsp_other"),
                Long(r, "hrsp_5xx")))
            .ToList();
    }

    public Dictionary<string, (long Total, long Errors)> ResponseCounters() =>
        Servers().Where(s => s.Backend == SingleHostLayout.Backend).ToDictionary(s => s.Server, s => (s.Responses, s.Errors5xx));

    public LbServer? Server(string backend, int slot) =>
        Servers().FirstOrDefault(s => s.Backend == backend && s.Server == SingleHostLayout.ServerOf(slot));

    /// <summary>Slots enabled (not in maintenance) in the main backend.</summary>
    public IReadOnlyList<int> EnabledSlots() =>
        Servers().Where(s => s.Backend == SingleHostLayout.Backend && !s.Status.StartsWith("MAINT", StringComparison.Ordinal))
            .Select(s => int.Parse(s.Server[1..], CultureInfo.InvariantCulture)).Order().ToList();

    public void Enable(string backend, int slot, int weight)
    {
        var server = SingleHostLayout.ServerOf(slot);
        Send(HaproxyRuntime.SetAddress(backend, server, "127.0.0.1", Layout.PortOf(slot)));
        Send(HaproxyRuntime.SetWeight(backend, server, weight));
        Send(HaproxyRuntime.SetState(backend, server, ServerAdminState.Ready));
    }

    public void SetWeight(int slot, int weight) => Send(HaproxyRuntime.SetWeight(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot), weight));

    public void Maint(string backend, int slot) => Send(HaproxyRuntime.SetState(backend, SingleHostLayout.ServerOf(slot), ServerAdminState.Maint));

    public void StartDrain(int slot) => Send(HaproxyRuntime.SetState(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot), ServerAdminState.Drain));

    /// <summary>Waits for HAProxy's own health check to report the server UP (the ready probe passed through its eyes).</summary>
    public void AwaitUp(string backend, int slot, TimeSpan timeout)
    {
        if (session.DryRun) return;
        Poll.Until(() => Server(backend, slot) is { } s ? (s.Status.StartsWith("UP", StringComparison.Ordinal), "status " + s.Status) : (false, "server not in HAProxy's state"),
            timeout, $"HAProxy to mark {backend}/{SingleHostLayout.ServerOf(slot)} UP");
    }

    /// <summary>Waits until the server's current sessions reach 0 (bounded): in-flight requests finish first.</summary>
    public int AwaitIdle(int slot, TimeSpan timeout)
    {
        if (session.DryRun) return 0;
        // Bounded best effort: at the deadline the drain goes on and the sessions still open are reported.
        var cur = 0;
        Poll.Within(() => (cur = Server(SingleHostLayout.Backend, slot)?.CurrentSessions ?? 0) == 0, timeout);
        return cur;
    }

    private static int Int(IReadOnlyDictionary<string, string> r, string k) => int.TryParse(r.GetValueOrDefault(k), out var v) ? v : 0;
    private static long Long(IReadOnlyDictionary<string, string> r, string k) => long.TryParse(r.GetValueOrDefault(k), out var v) ? v : 0;
}
