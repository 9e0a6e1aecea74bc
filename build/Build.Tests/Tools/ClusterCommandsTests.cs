using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

/// <summary>Exact argv of the e2e platform install and of helm test.</summary>
public class ClusterCommandsTests
{
    [Fact]
    public void A_chart_from_a_repository_is_installed_pinned_waiting_and_namespaced()
    {
        Assert.Equal(
            "helm upgrade --install cnpg cloudnative-pg --repo https://cloudnative-pg.github.io/charts --version 0.26.1 --kube-context dev --namespace cnpg-system --create-namespace --wait=watcher --timeout 600s --set a=b",
            ClusterCommands.InstallChart("dev", "cnpg", "cnpg-system", "https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.26.1", ["a=b"], TimeSpan.FromMinutes(10)).ToString());
    }

    [Fact]
    public void A_chart_from_an_oci_registry_is_referenced_by_its_full_oci_address()
    {
        Assert.Equal(
            "helm upgrade --install envoy-gateway oci://docker.io/envoyproxy/gateway-helm --version v1.7.4 --kube-context dev --namespace envoy-gateway-system --create-namespace --wait=watcher --timeout 600s",
            ClusterCommands.InstallChart("dev", "envoy-gateway", "envoy-gateway-system", "oci://docker.io/envoyproxy", "gateway-helm", "v1.7.4", [], TimeSpan.FromMinutes(10)).ToString());
    }

    [Fact]
    public void Apply_wait_and_helm_test_are_exact()
    {
        Assert.Equal("kubectl --context dev apply --server-side --filename build/e2e/platform.yaml", ClusterCommands.Apply("dev", "build/e2e/platform.yaml").ToString());
        Assert.Equal("kubectl --context dev --namespace orders-dev wait cluster.postgresql.cnpg.io/orders-db --for=condition=Ready --timeout=600s",
            ClusterCommands.WaitFor("dev", "orders-dev", "cluster.postgresql.cnpg.io/orders-db", "condition=Ready", TimeSpan.FromMinutes(10)).ToString());
        Assert.Equal("helm test orders --kube-context dev --namespace orders-dev --timeout 300s --logs", ClusterCommands.HelmTest("dev", "orders", "orders-dev", TimeSpan.FromMinutes(5)).ToString());
    }
}
