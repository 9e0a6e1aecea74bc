using System.Text.Json;
using Pipeline.Infrastructure;
using Pipeline.Kubernetes;
using Pipeline.Tests.Infrastructure.Support;

namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// terraform/ parsed by HashiCorp's HCL parser (no Terraform binary here): every file parses, and the structure keeps
/// its promises — providers bounded, variables typed and described, chart versions exact, envs thin and calling the
/// module with their own backend, the app's release by digest, no secret literal. Each rule is also shown failing on
/// a bad file, so a rule that silently matches nothing cannot pass.
/// </summary>
public class TerraformStructureTests
{
    private static readonly string Root = Path.Combine(IacTools.RepoRoot, "terraform");
    private static readonly Lazy<Dictionary<string, JsonElement>> Parsed = new(() => IacTools.ParseTerraform(Root));
    /// <summary>terraform/ parsed once for every test of the suite (one node start costs seconds).</summary>
    internal static Dictionary<string, JsonElement> Files => Parsed.Value;
    private static readonly string[] Envs = ["dev", "staging", "prod"];
    private const string Module = "modules/orders-environment";

    [Fact]
    public void Every_tf_file_parses_and_the_module_has_the_conventional_layout()
    {
        var onDisk = Directory.GetFiles(Root, "*.tf*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order().ToList();
        Assert.Equal(onDisk, Files.Keys.Order().ToList());
        foreach (var name in new[] { "main.tf", "variables.tf", "outputs.tf", "versions.tf" })
            Assert.Contains($"{Module}/{name}", Files.Keys);
    }

    [Fact]
    public void Providers_are_pinned_with_bounds_everywhere()
    {
        Assert.Empty(TerraformRules.UnboundedProviders(Files));
        var pinned = TerraformRules.Unnamed(Files, "terraform").Where(t => t.Body.TryGetProperty("required_providers", out _)).Select(t => t.File).ToList();
        Assert.Contains($"{Module}/versions.tf", pinned);
        foreach (var env in Envs) Assert.Contains($"envs/{env}/versions.tf", pinned);
    }

    [Fact]
    public void Every_variable_is_typed_and_described()
    {
        Assert.Empty(TerraformRules.UndocumentedVariables(Files));
        Assert.True(TerraformRules.Blocks(Files, "variable").Count() > 20);
    }

    [Fact]
    public void Every_chart_from_a_repository_is_pinned_to_an_exact_version()
    {
        Assert.Empty(TerraformRules.UnpinnedCharts(Files));
        var charts = TerraformRules.Resources(Files).Where(r => r.Address.StartsWith("helm_release.", StringComparison.Ordinal) && r.Body.TryGetProperty("repository", out _))
            .Select(r => r.Body.GetProperty("chart").GetString()).Order().ToList();
        Assert.Equal(["cloudnative-pg", "external-secrets", "gateway-helm", "kube-prometheus-stack"], charts);
    }

    [Fact]
    public void Each_environment_is_thin_calls_the_module_and_has_its_own_backend()
    {
        var buckets = new HashSet<string>();
        foreach (var env in Envs)
        {
            var call = Assert.Single(TerraformRules.Blocks(Files, "module").Where(m => m.File == $"envs/{env}/main.tf"));
            Assert.Equal("../../" + Module, call.Body.GetProperty("source").GetString());
            Assert.Equal(env, call.Body.GetProperty("environment").GetString());
            Assert.Equal("${var.image_digest}", call.Body.GetProperty("image_digest").GetString());
            Assert.Empty(TerraformRules.Resources(Files).Where(r => r.File.StartsWith($"envs/{env}/", StringComparison.Ordinal)));

            var backend = TerraformRules.Unnamed(Files, "terraform").Single(t => t.File == $"envs/{env}/backend.tf").Body.GetProperty("backend").GetProperty("s3")[0];
            Assert.True(buckets.Add(backend.GetProperty("bucket").GetString()!), $"{env} shares a state bucket");
            Assert.Contains(env, backend.GetProperty("key").GetString());
            Assert.True(backend.GetProperty("encrypt").GetBoolean());
            Assert.True(backend.GetProperty("use_lockfile").GetBoolean());

            // Every input of the module without a default is given by the env.
            var required = TerraformRules.Blocks(Files, "variable").Where(v => v.File.StartsWith(Module, StringComparison.Ordinal) && !v.Body.TryGetProperty("default", out _)).Select(v => v.Name);
            Assert.Empty(required.Where(r => !call.Body.TryGetProperty(r, out _)));
        }
    }

    [Fact]
    public void The_database_is_managed_in_prod_and_in_cluster_before_it()
    {
        string Mode(string env) => TerraformRules.Blocks(Files, "module").Single(m => m.File == $"envs/{env}/main.tf").Body.GetProperty("database_mode").GetString()!;
        Assert.Equal("in-cluster", Mode("dev"));
        Assert.Equal("in-cluster", Mode("staging"));
        Assert.Equal("managed", Mode("prod"));
        var rds = TerraformRules.Resources(Files).Single(r => r.Address == "aws_db_instance.orders").Body;
        Assert.True(rds.GetProperty("manage_master_user_password").GetBoolean());
        Assert.True(rds.GetProperty("storage_encrypted").GetBoolean());
        Assert.False(rds.TryGetProperty("password", out _));
    }

    [Fact]
    public void The_app_release_comes_from_charts_orders_by_digest_with_an_exact_chart_version()
    {
        var app = TerraformRules.Resources(Files).Single(r => r.Address == "helm_release.app").Body;
        Assert.Equal("${var.app_chart_path}", app.GetProperty("chart").GetString());
        Assert.Equal("${var.app_chart_version}", app.GetProperty("version").GetString());
        var set = app.GetProperty("set").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString());
        Assert.Equal("${var.image_digest}", set["stable.digest"]);
        Assert.Equal("${file(var.values_file)}", app.GetProperty("values")[0].GetString());

        var digest = TerraformRules.Blocks(Files, "variable").Single(v => v.File == $"{Module}/variables.tf" && v.Name == "image_digest").Body;
        Assert.Contains("^sha256:[0-9a-f]{64}$", digest.GetProperty("validation")[0].GetProperty("condition").GetString());
        var version = TerraformRules.Blocks(Files, "variable").Single(v => v.File == $"{Module}/variables.tf" && v.Name == "app_chart_version").Body;
        Assert.Contains("^[0-9]+\\\\.[0-9]+\\\\.[0-9]+$", version.GetProperty("validation")[0].GetProperty("condition").GetString());
    }

    [Fact]
    public void The_variables_the_pipeline_writes_are_exactly_the_pipeline_inputs_each_env_declares()
    {
        var k = new KubernetesSettings("dev", "dev", "orders-dev", "orders", "/repo/charts/orders", null, "X-Canary", "r.example/orders-api", "/a/values.yaml");
        using var written = JsonDocument.Parse(TerraformEnvironment.Variables(k, "0.1.0", "sha256:" + new string('a', 64), "/a/v.yaml"));
        var keys = written.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var env in Envs)
        {
            var declared = TerraformRules.Blocks(Files, "variable").Where(v => v.File == $"envs/{env}/variables.tf").Select(v => v.Name).ToHashSet();
            var tfvars = Files[$"envs/{env}/terraform.tfvars"].EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.Empty(keys.Except(declared));
            // Every declared input comes from exactly one place: the pipeline's file or the env's terraform.tfvars.
            Assert.Equal(declared.Order(), keys.Union(tfvars).Order());
            Assert.Empty(keys.Intersect(tfvars));
        }
    }

    [Fact]
    public void No_secret_literal_anywhere()
    {
        Assert.Empty(TerraformRules.SecretLiterals(Files));
    }

    [Fact]
    public void Each_rule_catches_a_bad_file()
    {
        var dir = Directory.CreateTempSubdirectory("tf-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad.tf"), """
                terraform {
                  required_providers {
                    helm = { source = "hashicorp/helm", version = ">= 3.0.0" }
                  }
                }
                variable "untyped" { description = "no type" }
                variable "undescribed" { type = string }
                resource "helm_release" "loose" {
                  name       = "x"
                  repository = "https://charts.example"
                  chart      = "x"
                  version    = "~> 1.2"
                }
                resource "aws_db_instance" "db" {
                  password = "hunter2-but-longer"
                }
                locals { key = "AKIAABCDEFGHIJKLMNOP" }
                """);
            var bad = IacTools.ParseTerraform(dir);
            Assert.Single(TerraformRules.UnboundedProviders(bad));
            Assert.Equal(2, TerraformRules.UndocumentedVariables(bad).Count());
            Assert.Single(TerraformRules.UnpinnedCharts(bad));
            var secrets = TerraformRules.SecretLiterals(bad).ToList();
            Assert.Contains(secrets, s => s.Contains("password"));
            Assert.Contains(secrets, s => s.Contains("looks like a credential"));

            File.WriteAllText(Path.Combine(dir, "broken.tf"), "resource \"x\" {\n  a = \n");
            var r = IacTools.TryParseTerraform(dir);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("broken.tf", r.StandardError);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>The e2e cluster's platform charts are the versions Terraform pins: one set of versions, tested twice.</summary>
public class PlatformChartsTests
{
    [Fact]
    public void E2e_platform_charts_match_the_terraform_module_defaults()
    {
        var files = TerraformStructureTests.Files.Where(f => f.Key.StartsWith("modules/", StringComparison.Ordinal)).ToDictionary();
        var defaults = TerraformRules.Blocks(files, "variable").Where(v => v.Body.TryGetProperty("default", out _)).ToDictionary(v => v.Name, v => v.Body.GetProperty("default").ToString());
        foreach (var c in Pipeline.Infrastructure.PlatformCharts.ForE2e)
            Assert.True(defaults[c.TerraformVariable] == c.Version, $"{c.Name}: e2e installs {c.Version}, terraform pins {defaults[c.TerraformVariable]}");
        var charts = TerraformRules.Resources(files).Where(r => r.Body.TryGetProperty("repository", out _))
            .ToDictionary(r => r.Body.GetProperty("chart").GetString()!, r => r.Body.GetProperty("repository").GetString());
        foreach (var c in Pipeline.Infrastructure.PlatformCharts.ForE2e) Assert.Equal(charts[c.Name], c.Repository);
    }
}
