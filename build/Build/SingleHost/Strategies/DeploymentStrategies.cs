using Pipeline.Config;

namespace Pipeline.SingleHost.Strategies;

/// <summary>The one place a strategy is picked from configuration (strategy.kind).</summary>
public static class DeploymentStrategies
{
    public static IDeploymentStrategy For(StrategyKind kind) => kind switch
    {
        StrategyKind.Rolling => new RollingStrategy(),
        StrategyKind.BlueGreen => new BlueGreenStrategy(),
        StrategyKind.Canary => new CanaryStrategy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown strategy"),
    };

    /// <summary>Start, wait ready directly, warm: the same for every strategy before an instance gets traffic.</summary>
    internal static IEnumerable<DeployAction> Bring(IEnumerable<int> slots)
    {
        var list = slots.ToList();
        // Start all first, then wait: instances of one batch start in parallel.
        foreach (var s in list) yield return new StartInstance(s);
        foreach (var s in list) yield return new AwaitReady(s);
        foreach (var s in list) yield return new Warm(s);
    }

    internal static IEnumerable<DeployAction> Retire(IEnumerable<int> slots)
    {
        var list = slots.ToList();
        foreach (var s in list) yield return new Drain(s);
        foreach (var s in list) yield return new StopInstance(s);
    }

    internal static List<int> Take(IReadOnlyList<int> free, int count) =>
        free.Count >= count ? free.Take(count).ToList()
        : throw new InvalidOperationException($"Needs {count} free slots, has {free.Count}: is a previous release still running? Promote or roll it back first.");
}
