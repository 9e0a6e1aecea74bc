namespace Pipeline.SingleHost.Strategies;

/// <summary>
/// Replace instances a batch at a time within maxSurge (extra instances allowed) and maxUnavailable
/// (ready instances that may be missing): with the defaults 1/0 there are never fewer than `replicas`
/// ready instances in the LB. The first new instance is smoke-tested through the preview route before it
/// gets a single normal request.
/// </summary>
public sealed class RollingStrategy : IDeploymentStrategy
{
    public string Name => "rolling";

    public DeploymentPlan Plan(ReleasePlan r)
    {
        var actions = new List<DeployAction> { new Migrate() };
        var old = new Queue<int>(r.StableSlots);
        var free = new Queue<int>(r.FreeSlots);
        var started = 0;
        var smoked = false;
        var minReady = r.Replicas - r.MaxUnavailable;
        var maxTotal = r.Replicas + r.MaxSurge;
        while (old.Count > 0 || started < r.Replicas)
        {
            var total = old.Count + started;
            // Remove old ones only as far as the floor of ready instances allows.
            var removable = Math.Min(old.Count, total - minReady);
            var retire = Enumerable.Range(0, Math.Max(0, removable)).Select(_ => old.Dequeue()).ToList();
            actions.AddRange(DeploymentStrategies.Retire(retire));
            total -= retire.Count;
            var startable = Math.Min(maxTotal - total, r.Replicas - started);
            if (startable <= 0 && retire.Count == 0)
                throw new InvalidOperationException($"Rolling with maxSurge {r.MaxSurge} and maxUnavailable {r.MaxUnavailable} cannot progress.");
            if (free.Count < startable) throw new InvalidOperationException($"Needs {startable} free slots, has {free.Count}.");
            var batch = Enumerable.Range(0, Math.Max(0, startable)).Select(_ => free.Dequeue()).ToList();
            if (batch.Count == 0) continue;
            actions.AddRange(DeploymentStrategies.Bring(batch));
            if (!smoked)
            {
                actions.Add(new Preview(batch));
                actions.Add(new Smoke());
                smoked = true;
            }
            actions.AddRange(batch.Select(s => new JoinLb(s, 100)));
            started += batch.Count;
        }
        return new DeploymentPlan(actions, [new MarkStable()]);
    }
}
