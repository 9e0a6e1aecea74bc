using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Config;
using Pipeline.Kubernetes;
using Pipeline.Kubernetes.State;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tests.Infrastructure.Support;
using Pipeline.Tests.Kubernetes.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// The pipeline identity's RBAC in the app's namespace, declared in terraform/modules/orders-environment/rbac.tf: a
/// Role covering the release records (derived from the kubectl commands the record code really sends) and every kind
/// charts/orders renders, bound to subjects that come from a variable every environment passes — the same identities
/// as kubernetes.pipelineUsers.
/// </summary>
public partial class PipelineRoleTests
{
    private const string Module = "modules/orders-environment";
    private static readonly string[] Envs = ["dev", "staging", "prod"];
    private static Dictionary<string, JsonElement> Files => TerraformStructureTests.Files;
    private static Dictionary<(string Group, string Resource), HashSet<string>> Role => TerraformRules.RoleRules(Files, "kubernetes_role_v1.pipeline");

    [Fact]
    public void The_Role_lives_in_the_app_namespace_and_grants_the_records_exactly_what_they_need()
    {
        var role = TerraformRules.Resources(Files).Single(r => r.Address == "kubernetes_role_v1.pipeline");
        Assert.Equal($"{Module}/rbac.tf", role.File);
        Assert.Equal("${kubernetes_namespace_v1.app.metadata[0].name}", role.Body.GetProperty("metadata")[0].GetProperty("namespace").GetString());
        Assert.Equal(["create", "delete", "get", "list", "update"], Role[("", "configmaps")].Order());
        Assert.Equal(["create", "get", "update"], Role[("coordination.k8s.io", "leases")].Order());
        Assert.DoesNotContain(Role.Keys, k => k.Resource == "*" || k.Group == "*");
        Assert.DoesNotContain(Role.Values, verbs => verbs.Contains("*"));
    }

    /// <summary>(API group, resource) of every kind charts/orders/templates renders, read from its apiVersion/kind lines.</summary>
    private static IEnumerable<(string Group, string Resource, string Kind)> ChartKinds()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(IacTools.RepoRoot, "charts", "orders", "templates"), "*.yaml", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            if (KindLine().Match(text) is not { Success: true } kind) continue;
            var apiVersion = ApiVersionLine().Match(text).Groups[1].Value;
            var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
            var k = kind.Groups[1].Value.ToLowerInvariant();
            yield return (group, k.EndsWith('y') ? k[..^1] + "ies" : k + "s", kind.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"^kind:\s*(\w+)\s*$", RegexOptions.Multiline)] private static partial Regex KindLine();
    [GeneratedRegex(@"^apiVersion:\s*(\S+)\s*$", RegexOptions.Multiline)] private static partial Regex ApiVersionLine();

    [Fact]
    public void The_Role_lets_helm_install_upgrade_and_test_every_namespaced_kind_the_chart_renders()
    {
        var kinds = ChartKinds().ToList();
        Assert.True(kinds.Count >= 12, string.Join(", ", kinds));
        // Cluster-scoped: a Role cannot grant them (docs/KUBERNETES.md, "Known limits of the chart").
        var namespaced = kinds.Where(k => k.Group != "admissionregistration.k8s.io").ToList();
        Assert.Equal(2, kinds.Count - namespaced.Count);
        foreach (var (group, resource, kind) in namespaced)
        {
            Assert.True(Role.TryGetValue((group, resource), out var verbs), $"{kind} ({group}/{resource}) rendered by the chart, not in the Role");
            string[] needed = kind == "Pod" ? ["get", "list", "watch", "create", "delete"] : ["get", "list", "watch", "create", "update", "patch", "delete"];
            Assert.Empty(needed.Except(verbs!));
        }
        // helm's release records are Secrets; the pipeline reads pods, their logs and events while a track comes up.
        Assert.Empty(new[] { "get", "list", "create", "update", "delete" }.Except(Role[("", "secrets")]));
        Assert.Contains("get", Role[("", "pods/log")]);
        Assert.Contains("list", Role[("", "events")]);
    }

    /// <summary>kubectl verb of a record command → the RBAC verb the API server checks.</summary>
    private static (string Group, string Resource, string Verb) Access(ToolCommand c)
    {
        var verb = c.Args[4];
        var kind = c.StandardInput is { } json ? JsonNode.Parse(json)!["kind"]!.GetValue<string>().ToLowerInvariant() : c.Args[5].TrimEnd('s');
        var (group, resource) = kind switch
        {
            "configmap" => ("", "configmaps"),
            "lease" => ("coordination.k8s.io", "leases"),
            _ => throw new InvalidOperationException($"unexpected record object in: {c}"),
        };
        return (group, resource, verb switch
        {
            "get" when c.Args.Contains("--selector") => "list",
            "get" => "get",
            "create" => "create",
            "replace" => "update",
            "delete" => "delete",
            _ => throw new InvalidOperationException($"unexpected record verb in: {c}"),
        });
    }

    [Fact]
    public void The_Role_covers_every_verb_the_record_commands_send()
    {
        // Every record path, through the real code against the in-memory API server: the lease taken, renewed and
        // released; release.json created, replaced and read; the audit trail appended past its retention and read.
        var script = new ClusterScript();
        using var f = new KubeFixture(script);
        var records = new ClusterRecords(new KubeCluster(f.Session, f.Target.Settings with { AuditRetention = 10 }));
        var held = (HeldLease)records.Lock("deploy");
        held.Renew();
        records.SaveState(new ReleaseState(KubeFixture.Old));
        records.SaveState(new ReleaseState(KubeFixture.New));
        records.LoadState();
        for (var i = 0; i < 10; i++)
            records.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow.AddMinutes(i), "deploy", "dev", "t", KubeFixture.New.Image, "canary", "failed", []));
        records.Audit.Read();
        held.Dispose();

        var used = script.RecordCommands().Select(Access).Distinct().ToList();
        Assert.Equal(["configmaps create", "configmaps delete", "configmaps get", "configmaps list", "configmaps update", "leases create", "leases get", "leases update"],
            used.Select(u => $"{u.Resource} {u.Verb}").Distinct().Order());
        foreach (var (group, resource, verb) in used)
            Assert.True(Role.TryGetValue((group, resource), out var verbs) && verbs.Contains(verb), $"the Role does not let the pipeline {verb} {resource} ({group})");
    }

    [Fact]
    public void The_binding_takes_its_subjects_from_a_validated_variable_and_names_no_identity_itself()
    {
        var binding = TerraformRules.Resources(Files).Single(r => r.Address == "kubernetes_role_binding_v1.pipeline").Body;
        Assert.Equal("${kubernetes_namespace_v1.app.metadata[0].name}", binding.GetProperty("metadata")[0].GetProperty("namespace").GetString());
        var roleRef = binding.GetProperty("role_ref")[0];
        Assert.Equal(("Role", "${kubernetes_role_v1.pipeline.metadata[0].name}"), (roleRef.GetProperty("kind").GetString(), roleRef.GetProperty("name").GetString()));
        Assert.False(binding.TryGetProperty("subject", out _)); // no literal subject block
        var subject = binding.GetProperty("dynamic").GetProperty("subject")[0];
        Assert.Equal("${var.pipeline_subjects}", subject.GetProperty("for_each").GetString());
        Assert.All(subject.GetProperty("content")[0].EnumerateObject(), p => Assert.Contains("subject.value.", p.Value.GetString()));

        var variable = TerraformRules.Blocks(Files, "variable").Single(v => v.File == $"{Module}/variables.tf" && v.Name == "pipeline_subjects").Body;
        Assert.StartsWith("${list(object({", variable.GetProperty("type").GetString());
        Assert.False(variable.TryGetProperty("default", out _)); // every environment must say who its pipeline is
        Assert.Contains("\"ServiceAccount\"", variable.GetProperty("validation")[0].GetProperty("condition").GetString());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Every_environment_passes_its_pipeline_subjects_the_same_identities_the_admission_policy_admits(string env)
    {
        var call = TerraformRules.Blocks(Files, "module").Single(m => m.File == $"envs/{env}/main.tf").Body;
        Assert.Equal("${var.pipeline_subjects}", call.GetProperty("pipeline_subjects").GetString());
        Assert.Contains(TerraformRules.Blocks(Files, "variable"), v => v.File == $"envs/{env}/variables.tf" && v.Name == "pipeline_subjects");

        // The RBAC subjects as request.userInfo.username, against kubernetes.pipelineUsers of the environment's YAML.
        var usernames = Files[$"envs/{env}/terraform.tfvars"].GetProperty("pipeline_subjects").EnumerateArray().Select(s =>
            s.GetProperty("kind").GetString() == "ServiceAccount"
                ? $"system:serviceaccount:{s.GetProperty("namespace").GetString()}:{s.GetProperty("name").GetString()}"
                : s.GetProperty("name").GetString()!).Order();
        var config = ConfigLoader.Load(Path.Combine(IacTools.RepoRoot, "build", "environments"), env, honourOverride: false);
        Assert.Equal(config.Kubernetes.PipelineUsers.Order(), usernames);
    }
}
