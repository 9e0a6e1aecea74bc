using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

/// <summary>Exact argv of the helm/kubectl commands the release engine runs on Kubernetes.</summary>
public class KubeReleaseCommandTests
{
    [Fact]
    public void Helm_upgrade_applies_the_generated_values_waits_for_hooks_only_and_never_rolls_back_by_itself()
    {
        Assert.Equal(
            ["upgrade", "orders", "charts/orders", "--install", "--kube-context", "dev", "--namespace", "orders-dev",
             "--values", "artifacts/kubernetes/dev/values.yaml", "--wait=hookOnly", "--timeout", "600s", "--history-max", "20"],
            Helm.UpgradeInstallValues("dev", "orders", "charts/orders", "orders-dev", "artifacts/kubernetes/dev/values.yaml", TimeSpan.FromMinutes(10)).Args);
    }

    [Fact]
    public void Helm_reads_of_the_deployed_release_are_exact()
    {
        Assert.Equal("helm get manifest orders --kube-context dev --namespace orders-dev", Helm.GetManifest("dev", "orders", "orders-dev").ToString());
        Assert.Equal("helm get values orders --kube-context dev --namespace orders-dev --output json", Helm.GetUserValues("dev", "orders", "orders-dev").ToString());
        Assert.Equal("helm template orders charts/orders --namespace orders-dev --values v.yaml", Helm.TemplateValues("orders", "charts/orders", "orders-dev", "v.yaml").ToString());
    }

    [Fact]
    public void Kubectl_reads_are_exact_with_context_and_namespace()
    {
        Assert.Equal("kubectl --context dev --request-timeout 10s version --output json", Kubectl.ServerVersion("dev").ToString());
        Assert.Equal(["--context", "dev", "--namespace", "orders-dev", "get", "pods", "--selector", "app.kubernetes.io/instance=orders,track=canary", "--output", "json"],
            Kubectl.GetPods("dev", "orders-dev", "app.kubernetes.io/instance=orders,track=canary").Args);
        Assert.Equal(["--context", "dev", "--namespace", "orders-dev", "get", "events", "--field-selector", "involvedObject.name=p-1", "--output", "json"],
            Kubectl.GetEvents("dev", "orders-dev", "p-1").Args);
        Assert.Equal("kubectl --context dev --namespace orders-dev logs p-1 --container orders --tail 20 --previous", Kubectl.Logs("dev", "orders-dev", "p-1", "orders", 20, previous: true).ToString());
        Assert.Equal("kubectl --context dev --namespace orders-dev logs p-1 --container orders --tail 20", Kubectl.Logs("dev", "orders-dev", "p-1", "orders", 20, previous: false).ToString());
    }
}
