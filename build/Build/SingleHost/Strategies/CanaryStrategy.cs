namespace Pipeline.SingleHost.Strategies;

/// <summary>
/// Weighted steps (strategy.steps, e.g. 5 → 25 → 50 → 100) with a pause and a gate verdict at each. The
/// canary set grows with its share (ceil(replicas × step%), at least one), so an instance never carries far
/// more than its fair share. The first step is the deploy; Promote judges it and walks the remaining
/// steps, each judged except 100 % (no baseline left to compare with). The stable set keeps running, health-
/// checked at weight 0, until the very end, so a late failure still rolls back by weights alone.
/// </summary>
public sealed class CanaryStrategy : IDeploymentStrategy
{
    public string Name => "canary";

    public static int CanaryCount(int replicas, int percent) => Math.Max(1, (int)Math.Ceiling(replicas * percent / 100.0));

    public DeploymentPlan Plan(ReleasePlan r)
    {
        var free = new Queue<int>(r.FreeSlots);
        var running = 0;
        IEnumerable<DeployAction> ScaleTo(int percent)
        {
            var want = CanaryCount(r.Replicas, percent);
            if (free.Count < want - running) throw new InvalidOperationException($"Needs {want - running} free slots, has {free.Count}.");
            var batch = Enumerable.Range(0, Math.Max(0, want - running)).Select(_ => free.Dequeue()).ToList();
            running += batch.Count;
            return batch.Count == 0 ? [] : [.. DeploymentStrategies.Bring(batch), .. batch.Select(s => new JoinLb(s, 0))];
        }

        var first = r.Steps[0];
        var deploy = new List<DeployAction> { new Migrate() };
        var firstBatch = ScaleTo(first).ToList();
        var firstSlots = firstBatch.OfType<StartInstance>().Select(s => s.Slot).ToList();
        deploy.AddRange(firstBatch.Where(a => a is not JoinLb));
        deploy.Add(new Preview(firstSlots));
        deploy.Add(new Smoke());
        deploy.AddRange(firstBatch.OfType<JoinLb>());
        deploy.Add(new ShiftTraffic(first));

        // Promote begins by judging the step the deploy left live, then walks the remaining steps.
        var promote = new List<DeployAction>();
        if (first < 100)
        {
            if (r.PauseSeconds > 0) promote.Add(new Pause(r.PauseSeconds));
            promote.Add(new Judge(first));
        }
        foreach (var step in r.Steps.Skip(1))
        {
            promote.AddRange(ScaleTo(step));
            promote.Add(new ShiftTraffic(step));
            // At 100 % the stable set serves nothing, so there is no baseline to compare with: the last
            // comparison is the step before. (Drift and the smoke gate still watch the result.)
            if (step == 100) continue;
            if (r.PauseSeconds > 0) promote.Add(new Pause(r.PauseSeconds));
            promote.Add(new Judge(step));
        }
        promote.AddRange(DeploymentStrategies.Retire(r.StableSlots));
        promote.Add(new MarkStable());
        return new DeploymentPlan(deploy, promote);
    }
}
