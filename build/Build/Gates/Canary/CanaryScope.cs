using Pipeline.Config;

namespace Pipeline.Gates.Canary;

/// <summary>
/// What the gate's queries select: extra label matchers for the app's series (e.g. <c>job="orders"</c> on a shared
/// Prometheus, <c>namespace="orders-prod"</c> in a cluster; empty: the <c>track</c> label alone selects), and the
/// proxy's error counters for each track's servers — supplied by the target, because only it knows which proxy
/// servers serve which track right now (single host: HAProxy's slots; Kubernetes: gates.canary.proxyErrors).
/// </summary>
public sealed record CanaryScope(string Matchers)
{
    public static readonly CanaryScope Any = new("");

    public ProxyErrorsConfig ProxyErrors { get; init; } = new();

    public static CanaryScope Job(string job) => new($"job=\"{job}\"");

    public ProxyTrackSelectors Proxy(string track) => track == CanaryQueries.Canary ? ProxyErrors.Canary : ProxyErrors.Stable;
}
