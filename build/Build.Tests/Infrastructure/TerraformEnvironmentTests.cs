using Pipeline.Infrastructure;
using Pipeline.Kubernetes;
using Pipeline.Records;
using Pipeline.Tasks;

namespace Pipeline.Tests.Infrastructure;

public class TerraformEnvironmentTests
{
    private const string Pushed = "registry.dev.orders.internal/orders-api@sha256:4444444444444444444444444444444444444444444444444444444444444444";

    [Fact]
    public void Paths_are_the_environments_root_and_its_artifacts()
    {
        var tf = TerraformEnvironment.For("/repo", "/repo/artifacts", "staging");
        Assert.Equal("/repo/terraform/envs/staging", tf.Dir);
        Assert.Equal("/repo/terraform/envs/staging/.terraform.lock.hcl", tf.LockFile);
        Assert.Equal("/repo/artifacts/terraform/staging/plan.tfplan", tf.PlanFile);
        Assert.Equal("/repo/artifacts/terraform/staging/pipeline.tfvars.json", tf.VariablesFile);
    }

    [Fact]
    public void Variables_are_the_environments_settings_and_the_digest_sorted()
    {
        var k = new KubernetesSettings("dev", "kind-dev", "orders-dev", "orders", "/r/charts/orders", null, "X-Canary", "reg/orders-api", "/a/values.yaml");
        Assert.Equal("""
            {
              "app_chart_path": "/r/charts/orders",
              "app_chart_version": "0.1.0",
              "image_digest": "sha256:ab",
              "image_repository": "reg/orders-api",
              "kube_context": "kind-dev",
              "namespace": "orders-dev",
              "release_name": "orders",
              "values_file": "/a/v.yaml"
            }
            """.ReplaceLineEndings("\n"), TerraformEnvironment.Variables(k, "0.1.0", "sha256:ab", "/a/v.yaml").ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_first_install_declares_the_image_this_run_pushed_and_a_declared_stable_wins()
    {
        var none = new KubeDesired(null, null, 0);
        Assert.Equal(new KubeTrack("sha256:" + new string('4', 64), "1.3.0", 3), TerraformEnvironment.Declared(none, Pushed, "1.3.0", 3).Stable);
        var stable = new KubeDesired(new KubeTrack("sha256:" + new string('1', 64), "1.1.0", 3), null, 0);
        Assert.Same(stable, TerraformEnvironment.Declared(stable, Pushed, "1.3.0", 3));
        Assert.Null(TerraformEnvironment.Declared(none, null, null, 3).Stable);
    }

    [Fact]
    public void The_plan_verdict_passes_without_changes_and_warns_with_them()
    {
        var none = TerraformPlan.Assess(PlanResult.NoChanges, "sha256:ab", "p.tfplan");
        Assert.Equal(Verdict.Pass, none.Verdict);
        var some = TerraformPlan.Assess(PlanResult.Changes, "sha256:ab", "p.tfplan");
        Assert.Equal(Verdict.Warn, some.Verdict);
        Assert.Contains("review p.tfplan", some.Summary);
    }

    [Fact]
    public void A_chart_without_a_version_is_an_error()
    {
        var dir = Directory.CreateTempSubdirectory("chart-").FullName;
        try
        {
            Assert.Throws<FileNotFoundException>(() => TerraformEnvironment.ChartVersion(dir));
            File.WriteAllText(Path.Combine(dir, "Chart.yaml"), "apiVersion: v2\nname: orders\n");
            Assert.Throws<InvalidDataException>(() => TerraformEnvironment.ChartVersion(dir));
            File.WriteAllText(Path.Combine(dir, "Chart.yaml"), "apiVersion: v2\nname: orders\nversion: 1.0.2\n");
            Assert.Equal("1.0.2", TerraformEnvironment.ChartVersion(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
