using Pipeline.Config;

namespace Pipeline.Kubernetes;

/// <summary>
/// The Kubernetes section of the environment's configuration as the release engine uses it, read in this one
/// place (the chart helper owns the section's keys; see CHART-CONTRACT). Every helm/kubectl call names the context
/// and namespace explicitly: a default context is how a staging command lands on prod.
/// </summary>
public sealed record KubernetesSettings(
    string Environment,
    string Context,
    string Namespace,
    string ReleaseName,
    string Chart,
    Uri? PrometheusUrl,
    string PreviewHeaderName,
    string ImageRepository,
    string ValuesFile,
    int AuditRetention = KubernetesConfig.DefaultAuditRetention)
{
    public string StableName => ReleaseName + "-stable";
    public string CanaryName => ReleaseName + "-canary";
    /// <summary>The one HTTPRoute of the release (weighted backendRefs + the preview header rule).</summary>
    public string RouteName => ReleaseName;

    /// <summary>Pods of one track of this release (labels the chart puts on every pod).</summary>
    public string Selector(string track) => $"app.kubernetes.io/instance={ReleaseName},track={track}";

    /// <summary>How long a track may take to have its pods ready before the release fails with their events and logs.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Bound on one helm upgrade (hooks: the migration Job).</summary>
    public static readonly TimeSpan HelmTimeout = TimeSpan.FromMinutes(10);

    public static KubernetesSettings From(EnvironmentConfig config, string repoRoot, string artifactsDir)
    {
        var k = config.Kubernetes;
        var header = config.Strategy.PreviewHeader;
        var colon = header.IndexOf(':');
        var chart = Path.IsPathRooted(k.Chart) ? k.Chart : Path.Combine(repoRoot, k.Chart);
        return new KubernetesSettings(config.Name, k.Context, k.Namespace, k.Release, chart,
            PrometheusUrl: Uri.TryCreate(k.PrometheusUrl, UriKind.Absolute, out var prom) ? prom : null,
            PreviewHeaderName: colon < 0 ? header.Trim() : header[..colon].Trim(),
            ImageRepository: $"{config.Image.Registry}/{config.Image.Repository}",
            ValuesFile: Path.Combine(artifactsDir, "kubernetes", config.Name, "values.yaml"),
            AuditRetention: k.AuditRetention);
    }
}
