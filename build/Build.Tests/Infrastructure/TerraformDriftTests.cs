using Pipeline.Config;
using Pipeline.Infrastructure;
using Pipeline.Kubernetes;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.Tests.Infrastructure.Support;
using Pipeline.Tests.SingleHost.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// The Terraform drift source: the plan's JSON read into readable differences (the pipeline's own upgrades of the app
/// release discounted, everything else drift), and the exit codes of a real process answering as Terraform does
/// (0 none, 1 error, 2 drift) — a script named terraform, since no Terraform binary exists here.
/// </summary>
public sealed class TerraformDriftTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tf-drift-").FullName;
    private static readonly string Digest = "sha256:" + new string('3', 64);

    [Fact]
    public void The_pipelines_own_upgrades_of_the_app_release_are_not_drift()
    {
        var (checks, diffs) = TerraformDrift.Differences(RefreshOnlyPlans.PipelineUpgradesOnly);
        Assert.Equal(1, checks);
        Assert.Empty(diffs);
    }

    [Fact]
    public void Out_of_band_changes_are_drift_one_line_each_naming_the_attributes()
    {
        var (checks, diffs) = TerraformDrift.Differences(RefreshOnlyPlans.OutOfBand);
        Assert.Equal(3, checks);
        Assert.Equal([
            "terraform module.orders.helm_release.app: changed outside Terraform (metadata, version)",
            "terraform module.orders.kubectl_manifest.gateway: changed outside Terraform (yaml_incluster)",
            "terraform module.orders.kubectl_manifest.secret_store: deleted outside Terraform",
        ], diffs);
    }

    [Fact]
    public void Exit_0_is_no_drift_and_shows_no_plan()
    {
        var (runner, log) = FakeTerraform(planExit: 0);
        var (checks, diffs) = Source(runner).Assess();
        Assert.Equal(1, checks);
        Assert.Empty(diffs);
        var calls = File.ReadAllLines(log);
        Assert.Equal(2, calls.Length);
        Assert.StartsWith($"-chdir={TfDir} init -input=false -lockfile=readonly", calls[0]);
        Assert.Equal($"-chdir={TfDir} plan -input=false -lock-timeout=60s -detailed-exitcode -refresh-only -out={Path.Combine(Work, "drift.tfplan")} -var-file={Path.Combine(Work, "pipeline.tfvars.json")}", calls[1]);
    }

    [Fact]
    public void Exit_2_is_drift_read_from_the_saved_plan()
    {
        var (runner, log) = FakeTerraform(planExit: 2, showJson: RefreshOnlyPlans.OutOfBand);
        var (_, diffs) = Source(runner).Assess();
        Assert.Equal(3, diffs.Count);
        Assert.Equal($"-chdir={TfDir} show -json {Path.Combine(Work, "drift.tfplan")}", File.ReadAllLines(log)[2]);
    }

    [Fact]
    public void Exit_2_with_only_the_pipelines_upgrades_is_no_drift()
    {
        var (runner, _) = FakeTerraform(planExit: 2, showJson: RefreshOnlyPlans.PipelineUpgradesOnly);
        Assert.Empty(Source(runner).Assess().Differences);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Any_other_exit_code_is_an_error_never_no_drift(int code)
    {
        var (runner, _) = FakeTerraform(planExit: code);
        var e = Assert.Throws<ToolFailedException>(() => Source(runner).Assess());
        Assert.Equal(code, e.ExitCode);
        Assert.Contains("Error: backend unreachable", e.Message);
    }

    [Fact]
    public void The_variables_file_carries_the_declared_digest_and_the_environment_settings()
    {
        var (runner, _) = FakeTerraform(planExit: 0);
        Source(runner).Assess();
        var json = File.ReadAllText(Path.Combine(Work, "pipeline.tfvars.json"));
        Assert.Contains($"\"image_digest\": \"{Digest}\"", json);
        Assert.Contains("\"app_chart_version\": \"0.3.1\"", json);
        Assert.Contains("\"kube_context\": \"prod\"", json);
        Assert.Contains($"\"values_file\": {System.Text.Json.JsonSerializer.Serialize(Path.Combine(Work, "values.yaml"))}", json);
        Assert.Contains(Digest, File.ReadAllText(Path.Combine(Work, "values.yaml")));
    }

    [Fact]
    public void A_missing_lock_file_is_a_clear_error_before_any_command()
    {
        var (runner, log) = FakeTerraform(planExit: 0);
        File.Delete(Path.Combine(TfDir, ".terraform.lock.hcl"));
        var e = Assert.Throws<InvalidOperationException>(() => Source(runner).Assess());
        Assert.Contains(".terraform.lock.hcl is missing", e.Message);
        Assert.False(File.Exists(log));
    }

    [Fact]
    public void Nothing_declared_stable_is_a_clear_error()
    {
        var (runner, _) = FakeTerraform(planExit: 0);
        var e = Assert.Throws<InvalidOperationException>(() => Source(runner, new KubeDesired(null, null, 0)).Assess());
        Assert.Contains("nothing is declared stable", e.Message);
    }

    private string TfDir => Path.Combine(_dir, "repo", "terraform", "envs", "prod");
    private string Work => Path.Combine(_dir, "artifacts", "terraform", "prod");

    private TerraformDrift Source(IToolRunner runner, KubeDesired? declared = null)
    {
        var config = new EnvironmentConfig
        {
            Name = "prod", Target = TargetKind.Kubernetes, Replicas = 2,
            Image = new ImageConfig { Registry = "registry.prod.orders.internal", Repository = "orders-api" },
            Kubernetes = new KubernetesConfig { Namespace = "orders-prod", Context = "prod", Release = "orders", Chart = "charts/orders" },
        };
        var k = KubernetesSettings.From(config, Path.Combine(_dir, "repo"), Path.Combine(_dir, "artifacts"));
        var session = new ReleaseSession(config, Path.Combine(_dir, "state"), runner, new RunRecord { Environment = "prod" }, TestCake.Create().Log, "t");
        var tf = TerraformEnvironment.For(Path.Combine(_dir, "repo"), Path.Combine(_dir, "artifacts"), "prod");
        var d = declared ?? new KubeDesired(new KubeTrack(Digest, "1.3.0", 2), null, 0);
        return new TerraformDrift(tf, session, k, () => d, ReleaseTargets.Values(config, k));
    }

    /// <summary>A script named terraform: logs its argv, answers plan with the given exit code, show with the JSON.</summary>
    private (IToolRunner Runner, string Log) FakeTerraform(int planExit, string showJson = "{}")
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        Directory.CreateDirectory(TfDir);
        File.WriteAllText(Path.Combine(TfDir, ".terraform.lock.hcl"), "# locked\n");
        Directory.CreateDirectory(Path.Combine(_dir, "repo", "charts", "orders"));
        File.WriteAllText(Path.Combine(_dir, "repo", "charts", "orders", "Chart.yaml"), "apiVersion: v2\nname: orders\nversion: 0.3.1\n");
        File.WriteAllText(Path.Combine(bin, "show.json"), showJson);
        var log = Path.Combine(_dir, "calls.log");
        var script = Path.Combine(bin, "terraform");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            echo "$*" >> '{{log}}'
            case "$2" in
              init) exit 0 ;;
              plan) {{(planExit is 0 or 2 ? "" : "echo 'Error: backend unreachable' >&2; ")}}exit {{planExit}} ;;
              show) cat '{{Path.Combine(bin, "show.json")}}' ;;
            esac
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (new ToolRunner(TestCake.Create(), dryRun: false, [bin]), log);
    }

    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }
}
