using Pipeline.Release;

namespace Pipeline.SingleHost;

/// <summary>
/// The traffic seam on the single host: HAProxy's runtime API (weights and states per server, no reload). Which
/// servers are the canary's is read from what runs (container labels) against release.json's candidate. A share is
/// turned into per-server weights by <see cref="TrafficWeights"/> (each set's weight divided by its size).
/// </summary>
public sealed class SingleHostTrafficRouter(SingleHostSession session) : ITrafficRouter
{
    private readonly LoadBalancer _lb = new(session);
    private readonly AppInstances _apps = new(session);

    /// <summary>The HAProxy configuration (both backends, the preview header match) rendered and reloaded if it changed.</summary>
    public void Reconcile() => new HaproxyService(session).Reconcile();

    public void SetRoutes(int stableWeight, int canaryWeight)
    {
        var total = stableWeight + canaryWeight;
        if (stableWeight < 0 || canaryWeight < 0 || total == 0) throw new ArgumentOutOfRangeException(nameof(canaryWeight), $"weights {stableWeight}/{canaryWeight}: both ≥ 0 and not both 0");
        var percent = (int)Math.Round(canaryWeight * 100.0 / total);
        SetCanaryShare(percent, ReleaseState.Load(session.Layout.ReleaseStateFile), GetRoutes().CanaryWeight);
    }

    /// <summary>
    /// Weights for a canary share. The side that gains is raised before the side that loses is lowered,
    /// so at no instant do all enabled servers have weight 0. Returns the per-server weights applied.
    /// </summary>
    internal (int Stable, int Canary) SetCanaryShare(int percent, ReleaseState state, int previousPercent)
    {
        var enabled = _lb.EnabledSlots().ToHashSet();
        var (stable, cand) = Sets(state);
        stable = stable.Where(enabled.Contains).ToList();
        cand = cand.Where(enabled.Contains).ToList();
        if (session.DryRun) { stable = [0]; cand = [1]; }
        var (ws, wc) = TrafficWeights.For(percent, stable.Count, cand.Count);
        var gaining = percent >= previousPercent ? cand.Select(s => (s, wc)).Concat(stable.Select(s => (s, ws)))
                                                 : stable.Select(s => (s, ws)).Concat(cand.Select(s => (s, wc)));
        foreach (var (slot, w) in gaining) _lb.SetWeight(slot, w);
        session.Event("weight-changed", SingleHostLayout.Backend, $"canary {percent}% (stable w{ws}×{stable.Count}, canary w{wc}×{cand.Count})");
        return (ws, wc);
    }

    /// <summary>The share each track gets from the weights HAProxy holds now (enabled servers only).</summary>
    public TrafficRoutes GetRoutes()
    {
        if (session.DryRun) return new TrafficRoutes(100, 0, false);
        var servers = _lb.Servers();
        var (stable, cand) = Sets(ReleaseState.Load(session.Layout.ReleaseStateFile));
        int Weight(IEnumerable<int> slots) => servers
            .Where(s => s.Backend == SingleHostLayout.Backend && !s.Status.StartsWith("MAINT", StringComparison.Ordinal) && slots.Contains(SlotOf(s.Server)))
            .Sum(s => s.Weight);
        var ws = Weight(stable);
        var wc = Weight(cand);
        var canaryPercent = ws + wc == 0 ? 0 : (int)Math.Round(wc * 100.0 / (ws + wc));
        var preview = servers.Any(s => s.Backend == SingleHostLayout.PreviewBackend && !s.Status.StartsWith("MAINT", StringComparison.Ordinal));
        return new TrafficRoutes(100 - canaryPercent, canaryPercent, preview);
    }

    /// <summary>On: exactly the candidate's instances serve the preview header; off: nothing does.</summary>
    public void SetPreview(bool on)
    {
        var (_, cand) = session.DryRun ? ([], [1]) : Sets(ReleaseState.Load(session.Layout.ReleaseStateFile));
        for (var slot = 0; slot < session.Layout.SlotCount; slot++)
            if (!on || !cand.Contains(slot)) _lb.Maint(SingleHostLayout.PreviewBackend, slot);
        if (!on) return;
        foreach (var slot in cand) _lb.Enable(SingleHostLayout.PreviewBackend, slot, 100);
        foreach (var slot in cand) _lb.AwaitUp(SingleHostLayout.PreviewBackend, slot, TimeSpan.FromSeconds(20));
    }

    /// <summary>Slots of running instances: not the candidate's image (stable) and the candidate's.</summary>
    internal (List<int> Stable, List<int> Candidate) Sets(ReleaseState state)
    {
        var running = _apps.List().Where(i => i.Running && i.Slot is not null).ToList();
        var cand = state.Candidate?.Image;
        return (running.Where(i => i.Image != cand).Select(i => i.Slot!.Value).Order().ToList(),
                running.Where(i => i.Image == cand).Select(i => i.Slot!.Value).Order().ToList());
    }

    private static int SlotOf(string server) => int.TryParse(server.AsSpan(1), out var s) ? s : -1;
}
