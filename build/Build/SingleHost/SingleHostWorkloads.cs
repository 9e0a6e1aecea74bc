using Pipeline.Release;
using Pipeline.SingleHost.Strategies;

namespace Pipeline.SingleHost;

/// <summary>
/// The workload seam on the single host: podman instances in numbered slots, each started by digest, awaited on its
/// own /healthz/ready, warmed, then joined to HAProxy at weight 0 (the router gives it traffic). The actions run
/// through <see cref="PlanExecutor"/>, so a failure mid-way rolls back exactly as a strategy's plan does.
/// </summary>
public sealed class SingleHostWorkloads(SingleHostSession session) : IWorkloadController
{
    private readonly AppInstances _apps = new(session);
    private ReleaseState State => ReleaseState.Load(session.Layout.ReleaseStateFile);

    public IReadOnlyList<Workload> List()
    {
        var state = State;
        return [.. _apps.List().Select(i => new Workload(i.Name, state.TrackOf(i.Image) == "canary" ? Track.Canary : Track.Stable, i.Image, i.Version, i.Running))];
    }

    public async Task BringUpAsync(ReleaseImage candidate, int count, CancellationToken ct)
    {
        var state = State;
        var all = _apps.List().Where(i => i.Slot is not null).ToList();
        var running = all.Count(i => i.Running && i.Image == candidate.Image);
        if (running >= count) return;
        var used = all.Select(i => i.Slot!.Value).ToHashSet();
        var free = Enumerable.Range(0, session.Layout.SlotCount).Where(s => !used.Contains(s)).ToList();
        var batch = DeploymentStrategies.Take(free, count - running);
        await new PlanExecutor(session, state).RunAsync([.. DeploymentStrategies.Bring(batch), .. batch.Select(s => new JoinLb(s, 0))], ct);
    }

    /// <summary>The old set drains and stops, the candidate's weights become plain equal weights, release.json: stable.</summary>
    public async Task PromoteAsync(ReleaseImage candidate, CancellationToken ct)
    {
        var state = State;
        var old = _apps.List().Where(i => i.Running && i.Slot is not null && i.Image != candidate.Image).Select(i => i.Slot!.Value).Order().ToList();
        await new PlanExecutor(session, state).RunAsync([.. DeploymentStrategies.Retire(old), new MarkStable()], ct);
    }

    public async Task RetireCanaryAsync(CancellationToken ct)
    {
        var state = State;
        if (state.Candidate is null) return;
        var slots = _apps.List().Where(i => i.Slot is not null && i.Image == state.Candidate.Image).Select(i => i.Slot!.Value).Order().ToList();
        await new PlanExecutor(session, state).RunAsync([.. DeploymentStrategies.Retire(slots)], ct);
    }
}
