using Pipeline.Release;
using Pipeline.Tools;

namespace Pipeline.Kubernetes;

/// <summary>
/// The traffic seam on Kubernetes: the Gateway API HTTPRoute of the release — weighted backendRefs to the stable
/// and canary Services, plus a rule sending the preview header to the canary Service. Weights are changed through
/// the generated values and <c>helm upgrade</c> (route.canaryWeight), never by patching the object: one source of
/// truth, so the next upgrade (or DriftCheck) never disagrees with what the router did.
/// </summary>
public sealed class GatewayTrafficRouter(KubeCluster cluster, HelmRelease release) : ITrafficRouter
{
    private KubernetesSettings K => cluster.Settings;

    public void Reconcile() => release.Apply(release.Desired, "reconcile route");

    public void SetRoutes(int stableWeight, int canaryWeight)
    {
        var total = stableWeight + canaryWeight;
        if (stableWeight < 0 || canaryWeight < 0 || total == 0) throw new ArgumentOutOfRangeException(nameof(canaryWeight), $"weights {stableWeight}/{canaryWeight}: both ≥ 0 and not both 0");
        var percent = (int)Math.Round(canaryWeight * 100.0 / total);
        var d = release.Desired;
        if (percent > 0 && d.Canary is null) throw new InvalidOperationException($"No canary track to send {percent}% to: bring it up first.");
        // One object carries both weights: the gateway applies the new split atomically (nothing to order).
        release.Apply(d with { CanaryWeight = percent }, $"weight {percent}%");
    }

    /// <summary>What the HTTPRoute holds on the cluster (dry run: what the values declare).</summary>
    public TrafficRoutes GetRoutes()
    {
        if (cluster.DryRun)
        {
            var d = release.Desired;
            return new TrafficRoutes(100 - d.CanaryWeight, d.CanaryWeight, d.Canary is not null);
        }
        var json = cluster.Run(Kubectl.GetJson(K.Context, K.Namespace, "httproute", K.RouteName));
        var w = KubeJson.ParseHttpRoute(json, K.StableName, K.CanaryName, K.PreviewHeaderName);
        var canary = w.Stable + w.Canary == 0 ? 0 : (int)Math.Round(w.Canary * 100.0 / (w.Stable + w.Canary));
        return new TrafficRoutes(100 - canary, canary, w.PreviewRule);
    }

    /// <summary>
    /// The chart renders the preview rule whenever the canary track exists (its Service then has endpoints), so "on"
    /// only checks there is a canary to preview and "off" is the canary's retirement; the weights never change here.
    /// </summary>
    public void SetPreview(bool on)
    {
        if (on && release.Desired.Canary is null) throw new InvalidOperationException("No canary track to preview: bring it up first.");
        cluster.Session.Event("preview", on ? "on" : "off", $"header {K.PreviewHeaderName} → {K.CanaryName}");
    }
}
