using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast seam: the workload controller with draining removed. Retiring an instance stops it while it still
/// carries its share of traffic — no LB drain, no app drain delay (podman stop --time 0: SIGTERM then SIGKILL at
/// once) — as a deploy that "just restarts the container" would. Everything else is the real controller.
/// Drill-only (DrillIsolationTests proves no configuration key or argument reaches it).
/// </summary>
internal sealed class NoDrainWorkloads(SingleHostSession session, IWorkloadController inner) : IWorkloadController
{
    private readonly LoadBalancer _lb = new(session);

    public IReadOnlyList<Workload> List() => inner.List();

    public Task BringUpAsync(ReleaseImage candidate, int count, CancellationToken ct) => inner.BringUpAsync(candidate, count, ct);

    /// <summary>The old set stops while serving; only afterwards does the LB learn of it.</summary>
    public Task PromoteAsync(ReleaseImage candidate, CancellationToken ct)
    {
        var old = new AppInstances(session).List().Where(i => i.Running && i.Slot is not null && i.Image != candidate.Image).Select(i => i.Slot!.Value).ToList();
        StopServing(old);
        return inner.PromoteAsync(candidate, ct);
    }

    public Task RetireCanaryAsync(CancellationToken ct) => inner.RetireCanaryAsync(ct);

    /// <summary>Stops these slots with no drain of any kind, then takes them out of the LB.</summary>
    public void StopServing(IReadOnlyList<int> slots)
    {
        if (slots.Count == 0) return;
        session.Event("contrast", "stopped while serving (no drain)", string.Join(",", slots.Select(SingleHostLayout.ServerOf)));
        session.Runner.Run(Podman.Stop(0, [.. slots.Select(session.Layout.ContainerOf)]), allowFailure: true);
        foreach (var s in slots) _lb.Maint(SingleHostLayout.Backend, s);
        session.Runner.Run(Podman.Remove([.. slots.Select(session.Layout.ContainerOf)]), allowFailure: true);
        new AppInstances(session).SyncScrapeTargets(ReleaseState.Load(session.Layout.ReleaseStateFile));
    }
}
