using Pipeline.Config;

namespace Pipeline;

public sealed partial class BuildContext
{
    /// <summary>
    /// The Prometheus the canary gate reads: --prometheus=URL if given, else the target's (single host: loopback;
    /// Kubernetes: kubernetes.prometheusUrl).
    /// </summary>
    public Uri PrometheusAddress =>
        Argument(GateArgs.Prometheus) is { Length: > 0 } url ? new Uri(url)
        : Release.Target.MetricsAddress;
}

/// <summary>Command-line arguments of the canary gate.</summary>
public static class GateArgs
{
    /// <summary>The canary weight (percent) being judged, for the verdict's name (canary-&lt;step&gt;).</summary>
    public const string Step = "step";
    public const string Prometheus = "prometheus";
}

/// <summary>Run-record facts the canary gate reads.</summary>
public static class GateFacts
{
    /// <summary>Set by the deploy step: the canary's current traffic weight in percent.</summary>
    public const string CanaryWeight = "canary.weight";
}
