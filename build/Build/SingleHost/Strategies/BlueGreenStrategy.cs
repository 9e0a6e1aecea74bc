namespace Pipeline.SingleHost.Strategies;

/// <summary>
/// The new set (green) comes up beside the old one (blue), is smoke-tested through the preview route, then
/// the LB switches by weights in one step. Blue keeps running with weight 0 — health-checked, instantly
/// restorable — until Promote drains and stops it.
/// </summary>
public sealed class BlueGreenStrategy : IDeploymentStrategy
{
    public string Name => "blue-green";

    public DeploymentPlan Plan(ReleasePlan r)
    {
        var green = DeploymentStrategies.Take(r.FreeSlots, r.Replicas);
        var deploy = new List<DeployAction> { new Migrate() };
        deploy.AddRange(DeploymentStrategies.Bring(green));
        deploy.Add(new Preview(green));
        deploy.Add(new Smoke());
        // Joined at weight 0: HAProxy checks them UP before the switch, so the switch is one weight change.
        deploy.AddRange(green.Select(s => new JoinLb(s, 0)));
        deploy.Add(new ShiftTraffic(100));
        var promote = new List<DeployAction>(DeploymentStrategies.Retire(r.StableSlots)) { new MarkStable() };
        return new DeploymentPlan(deploy, promote);
    }
}
