using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast seam: the workload controller with the readiness gate removed. BringUp starts the instances and puts
/// them in the load balancer AT ONCE, at full weight and with HAProxy's own check off — no wait for /healthz/ready,
/// no warm-up — as a rollout that trusts "the process started" would. Everything else is the real controller.
/// Drill-only (DrillIsolationTests proves no configuration key or argument reaches it).
/// </summary>
internal sealed class NoReadinessGateWorkloads(SingleHostSession session, IWorkloadController inner, IReadOnlyDictionary<string, string>? instanceEnvironment = null) : IWorkloadController
{
    private readonly AppInstances _apps = new(session);
    private readonly LoadBalancer _lb = new(session);

    /// <summary>The slots this contrast started (their health checks are off until <see cref="Restore"/>).</summary>
    public List<int> Started { get; } = [];

    public IReadOnlyList<Workload> List() => inner.List();

    public Task BringUpAsync(ReleaseImage candidate, int count, CancellationToken ct)
    {
        var all = _apps.List().Where(i => i.Slot is not null).ToList();
        var running = all.Count(i => i.Running && i.Image == candidate.Image);
        var used = all.Select(i => i.Slot!.Value).ToHashSet();
        var free = Enumerable.Range(0, session.Layout.SlotCount).Where(s => !used.Contains(s)).Take(Math.Max(0, count - running)).ToList();
        foreach (var slot in free)
        {
            _apps.Start(slot, candidate, instanceEnvironment);
            // The seam removed: no AwaitReady, no Warm, no HAProxy check — in the LB the moment the process exists.
            // Only that seam: it serves at the normal CPU weight (left at the start weight, it would also be starved).
            _apps.GiveServingCpuWeight(slot);
            HaproxyRuntime.Send(session.Layout.HaproxySocket, HaproxyHealth.Disable(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot)));
            _lb.Enable(SingleHostLayout.Backend, slot, 100);
            session.Event("contrast", "joined-lb without readiness", SingleHostLayout.ServerOf(slot));
            Started.Add(slot);
        }
        _apps.SyncScrapeTargets(ReleaseState.Load(session.Layout.ReleaseStateFile));
        return Task.CompletedTask;
    }

    public Task PromoteAsync(ReleaseImage candidate, CancellationToken ct) => inner.PromoteAsync(candidate, ct);

    public Task RetireCanaryAsync(CancellationToken ct) => inner.RetireCanaryAsync(ct);

    /// <summary>Back to normal: the contrast's instances drain and stop, their checks on again.</summary>
    public void Restore()
    {
        foreach (var slot in Started)
        {
            HaproxyRuntime.Send(session.Layout.HaproxySocket, HaproxyHealth.Enable(SingleHostLayout.Backend, SingleHostLayout.ServerOf(slot)));
            _lb.StartDrain(slot);
            _lb.AwaitIdle(slot, TimeSpan.FromSeconds(session.Config.App.GracePeriodSeconds));
            _lb.Maint(SingleHostLayout.Backend, slot);
        }
        _apps.Stop([.. Started]);
        _apps.SyncScrapeTargets(ReleaseState.Load(session.Layout.ReleaseStateFile));
        Started.Clear();
    }
}
