using Pipeline.Tests.Host;
using Pipeline.Tests.Kubernetes.Support;

namespace Pipeline.Tests.Tasks;

/// <summary>
/// TerraformPlan as people and CI run it (the built pipeline as a child process), with a real process named terraform
/// on PATH answering as Terraform does (no Terraform binary here): the variables it is given and what each exit code
/// means for the run. A process named kubectl answers for the cluster, where release.json lives: nothing declared
/// unless a test puts the release-state ConfigMap there.
/// </summary>
public class TerraformPlanTests
{
    private const string Image = "registry.dev.orders.internal/orders-api@sha256:5555555555555555555555555555555555555555555555555555555555555555";

    private static (HostProcess Host, string Bin, string Log) Setup(int planExit, string? releaseStateConfigMap = null)
    {
        var host = new HostProcess();
        var root = Path.Combine(host.Root, "terraform", "envs", "dev");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, ".terraform.lock.hcl"), "# locked\n");
        Directory.CreateDirectory(Path.Combine(host.Root, "charts", "orders"));
        File.WriteAllText(Path.Combine(host.Root, "charts", "orders", "Chart.yaml"), "apiVersion: v2\nname: orders\nversion: 0.4.0\n");
        var bin = Directory.CreateDirectory(Path.Combine(host.Root, "fake-bin")).FullName;
        var log = Path.Combine(host.Root, "terraform-calls.log");
        var script = Path.Combine(bin, "terraform");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$*\" >> '{log}'\ncase \"$2\" in plan) {(planExit is 0 or 2 ? "" : "echo 'Error: state locked' >&2; ")}exit {planExit} ;; esac\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var state = Path.Combine(host.Root, "release-state.json");
        if (releaseStateConfigMap is not null) File.WriteAllText(state, releaseStateConfigMap);
        var kubectl = Path.Combine(bin, "kubectl");
        File.WriteAllText(kubectl, "#!/bin/sh\n" + $"echo \"$*\" >> '{host.Root}/kubectl-calls.log'\n"
            + "case \"$*\" in\n  *' version '*) echo '{\"serverVersion\":{\"gitVersion\":\"v1.34.5\"}}' ;;\n"
            + $"  *'get configmap orders-release-state '*) /bin/cat '{state}' 2>/dev/null ;;\nesac\nexit 0\n");
        File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (host, bin, log);
    }

    [Fact]
    public void Changes_planned_are_a_warning_with_the_saved_plan_and_the_declared_digest()
    {
        var (host, bin, log) = Setup(planExit: 2);
        using var _ = host;
        var r = host.Run(["--target=TerraformPlan", "--env=dev", $"--image={Image}"], path: bin);
        Assert.True(r.ExitCode == 0, r.Output);
        var calls = File.ReadAllLines(log);
        var root = Path.Combine(host.Root, "terraform", "envs", "dev");
        var work = Path.Combine(host.Artifacts, "terraform", "dev");
        Assert.Equal([
            $"-chdir={root} init -input=false -lockfile=readonly",
            $"-chdir={root} plan -input=false -lock-timeout=60s -detailed-exitcode -out={work}/plan.tfplan -var-file={work}/pipeline.tfvars.json",
        ], calls);
        var verdict = host.RunRecord().GetProperty("verdicts").EnumerateArray().Single(v => v.GetProperty("gate").GetString() == "terraform-plan");
        Assert.Equal("warn", verdict.GetProperty("verdict").GetString()!.ToLowerInvariant());
        var vars = File.ReadAllText(Path.Combine(work, "pipeline.tfvars.json"));
        Assert.Contains("\"image_digest\": \"sha256:5555555555555555555555555555555555555555555555555555555555555555\"", vars);
        Assert.Contains("\"app_chart_version\": \"0.4.0\"", vars);
        Assert.Contains("\"namespace\": \"orders-dev\"", vars);
    }

    [Fact]
    public void The_digest_declared_is_the_stable_one_release_json_names_in_the_cluster_not_this_runs_image()
    {
        // Another runner left 1.1.0 stable and a 1.2.0 canary (the fixture): this fresh runner's disk holds nothing.
        var (host, bin, _) = Setup(planExit: 0, releaseStateConfigMap: ClusterScript.Fixture("configmap-release-state.json"));
        using var _ = host;
        var r = host.Run(["--target=TerraformPlan", "--env=dev", $"--image={Image}"], path: bin);
        Assert.True(r.ExitCode == 0, r.Output);
        var vars = File.ReadAllText(Path.Combine(host.Artifacts, "terraform", "dev", "pipeline.tfvars.json"));
        Assert.Contains("\"image_digest\": \"sha256:1111111111111111111111111111111111111111111111111111111111111111\"", vars);
        Assert.Contains("--context dev --namespace orders-dev get configmap orders-release-state --ignore-not-found --output json",
            File.ReadAllLines(Path.Combine(host.Root, "kubectl-calls.log")));
    }

    [Fact]
    public void No_changes_pass()
    {
        var (host, bin, _) = Setup(planExit: 0);
        using var __ = host;
        var r = host.Run(["--target=TerraformPlan", "--env=dev", $"--image={Image}"], path: bin);
        Assert.True(r.ExitCode == 0, r.Output);
        var verdict = host.RunRecord().GetProperty("verdicts").EnumerateArray().Single(v => v.GetProperty("gate").GetString() == "terraform-plan");
        Assert.Equal("pass", verdict.GetProperty("verdict").GetString()!.ToLowerInvariant());
    }

    [Fact]
    public void A_plan_error_fails_the_run_with_terraforms_message()
    {
        var (host, bin, _) = Setup(planExit: 1);
        using var __ = host;
        var r = host.Run(["--target=TerraformPlan", "--env=dev", $"--image={Image}"], path: bin);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("failed with exit code 1", r.Output);
        Assert.Contains("Error: state locked", r.Output);
    }
}
