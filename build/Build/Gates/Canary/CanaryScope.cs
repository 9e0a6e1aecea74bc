namespace Pipeline.Gates.Canary;

/// <summary>
/// Extra PromQL label matchers that narrow the gate's queries to one application, e.g. <c>job="orders"</c> on a
/// shared Prometheus or <c>namespace="orders-prod"</c> in a cluster. Empty: the <c>track</c> label alone selects.
/// </summary>
public sealed record CanaryScope(string Matchers)
{
    public static readonly CanaryScope Any = new("");

    public static CanaryScope Job(string job) => new($"job=\"{job}\"");
}
