namespace Pipeline.Release;

/// <summary>How the target's traffic is split right now: weights per track (sum 100 when both serve) and the preview route.</summary>
public sealed record TrafficRoutes(int StableWeight, int CanaryWeight, bool PreviewOn)
{
    public override string ToString() => $"stable {StableWeight} / canary {CanaryWeight}{(PreviewOn ? ", preview on" : "")}";
}

/// <summary>
/// The traffic seam, in the shape of Flagger's router.Interface: one implementation per load balancer or gateway
/// (HAProxy's runtime API on the single host, a Gateway API HTTPRoute on Kubernetes). The engine only ever asks
/// for weights; which servers, backendRefs or Services carry them is the router's business.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>Makes the routing objects exist as declared (routes to both tracks, preview match), changing no weights.</summary>
    void Reconcile();

    /// <summary>Splits traffic. The side that gains is raised before the side that loses is lowered: never all weights 0.</summary>
    void SetRoutes(int stableWeight, int canaryWeight);

    TrafficRoutes GetRoutes();

    /// <summary>The preview route (a request header → the canary only) on or off; it never changes the weights.</summary>
    void SetPreview(bool on);
}
