namespace Pipeline.SingleHost.Strategies;

/// <summary>A release strategy: turns what runs now into an ordered plan. Pure; execution is elsewhere.</summary>
public interface IDeploymentStrategy
{
    string Name { get; }
    DeploymentPlan Plan(ReleasePlan release);
}
