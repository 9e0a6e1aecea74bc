namespace Pipeline.Infrastructure;

/// <summary>
/// The platform charts at the versions terraform/modules/orders-environment pins (a test holds the two equal), for the
/// one place Terraform does not install them: the throwaway kind cluster of the e2e workflow (E2ePlatform). External
/// Secrets is left out there: the e2e app reads the password CloudNativePG generates (an existing Secret).
/// </summary>
public static class PlatformCharts
{
    public sealed record Chart(string Release, string Namespace, string Repository, string Name, string Version, string TerraformVariable, IReadOnlyList<string> Set);

    public static readonly IReadOnlyList<Chart> ForE2e =
    [
        new("envoy-gateway", "envoy-gateway-system", "oci://docker.io/envoyproxy", "gateway-helm", "v1.7.4", "gateway_chart_version", []),
        new("kube-prometheus-stack", "monitoring", "https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "70.6.0",
            "kube_prometheus_stack_chart_version",
            ["prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues=false", "grafana.enabled=false", "alertmanager.enabled=false"]),
        new("cnpg", "cnpg-system", "https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.26.1", "cnpg_chart_version", []),
    ];

    /// <summary>GatewayClass + Gateway + the app namespace + a CloudNativePG cluster: build/e2e/platform.yaml.</summary>
    public static string Manifest(string repoRoot) => Path.Combine(repoRoot, "build", "e2e", "platform.yaml");
}
