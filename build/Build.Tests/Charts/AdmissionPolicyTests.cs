using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Tests.Charts.Support;
using Pipeline.Tools;

namespace Pipeline.Tests.Charts;

/// <summary>
/// The rendered ValidatingAdmissionPolicy's CEL, evaluated by @bufbuild/cel (charts/validate/cel.mjs) against
/// AdmissionRequests in the API server's shape: the pipeline and the named controllers pass, anyone else is denied
/// on the app's Deployments, HTTPRoute and Secrets and on the pipeline's release records (release.json, audit
/// entries, the lock's Lease), and unrelated objects are left alone.
/// </summary>
public class AdmissionPolicyTests
{
    private const string Pipeline = "system:serviceaccount:orders-ci:orders-pipeline";
    private const string Human = "alice@example.com";

    private static readonly (string Name, string Op, string Resource, string Sub, string Object, string User, bool Allowed)[] Cases =
    [
        ("pipeline updates the stable Deployment", "UPDATE", "deployments", "", "orders-stable", Pipeline, true),
        ("pipeline deletes the canary Deployment", "DELETE", "deployments", "", "orders-canary", Pipeline, true),
        ("human edits the stable Deployment", "UPDATE", "deployments", "", "orders-stable", Human, false),
        ("cluster-admin deletes the canary Deployment", "DELETE", "deployments", "", "orders-canary", "kubernetes-admin", false),
        ("human scales the stable Deployment", "UPDATE", "deployments", "scale", "orders-stable", Human, false),
        ("HPA scales the stable Deployment", "UPDATE", "deployments", "scale", "orders-stable", "system:serviceaccount:kube-system:horizontal-pod-autoscaler", true),
        ("HPA scales the canary Deployment", "UPDATE", "deployments", "scale", "orders-canary", "system:serviceaccount:kube-system:horizontal-pod-autoscaler", false),
        ("human edits the HTTPRoute weights", "UPDATE", "httproutes", "", "orders", Human, false),
        ("pipeline updates the HTTPRoute", "UPDATE", "httproutes", "", "orders", Pipeline, true),
        ("human creates the db Secret", "CREATE", "secrets", "", "orders-db", Human, false),
        ("External Secrets refreshes the db Secret", "UPDATE", "secrets", "", "orders-db", "system:serviceaccount:external-secrets:external-secrets", true),
        ("External Secrets touches helm's release record", "UPDATE", "secrets", "", "sh.helm.release.v1.orders.v7", "system:serviceaccount:external-secrets:external-secrets", false),
        ("human rewrites helm's release record", "UPDATE", "secrets", "", "sh.helm.release.v1.orders.v7", Human, false),
        ("pipeline writes helm's release record", "CREATE", "secrets", "", "sh.helm.release.v1.orders.v8", Pipeline, true),
        ("namespace controller deletes on namespace deletion", "DELETE", "deployments", "", "orders-stable", "system:serviceaccount:kube-system:namespace-controller", true),
        ("namespace controller may not update", "UPDATE", "deployments", "", "orders-stable", "system:serviceaccount:kube-system:namespace-controller", false),
        ("human edits another app's Deployment", "UPDATE", "deployments", "", "billing", Human, true),
        ("human edits another Secret", "UPDATE", "secrets", "", "team-notes", Human, true),
        ("pipeline replaces release.json", "UPDATE", "configmaps", "", "orders-release-state", Pipeline, true),
        ("human edits release.json", "UPDATE", "configmaps", "", "orders-release-state", Human, false),
        ("pipeline appends an audit entry", "CREATE", "configmaps", "", "orders-audit-20260513-101000-250-9c04d7e1", Pipeline, true),
        ("pipeline prunes an audit entry beyond the retention", "DELETE", "configmaps", "", "orders-audit-20260513-101000-250-9c04d7e1", Pipeline, true),
        ("human deletes an audit entry", "DELETE", "configmaps", "", "orders-audit-20260513-101000-250-9c04d7e1", "kubernetes-admin", false),
        ("human forges an audit entry", "CREATE", "configmaps", "", "orders-audit-20260101-000000-000-00000000", Human, false),
        ("pipeline renews the release lock", "UPDATE", "leases", "", "orders-release-lock", Pipeline, true),
        ("human takes the release lock", "UPDATE", "leases", "", "orders-release-lock", Human, false),
        ("human edits another ConfigMap", "UPDATE", "configmaps", "", "team-settings", Human, true),
        ("a controller renews its own Lease", "UPDATE", "leases", "", "billing-leader", "system:serviceaccount:billing:operator", true),
    ];

    private static string Group(string resource) => resource switch
    {
        "secrets" or "configmaps" => "",
        "httproutes" => "gateway.networking.k8s.io",
        "leases" => "coordination.k8s.io",
        _ => "apps",
    };

    [Fact]
    public void Only_the_pipeline_and_named_controllers_change_the_protected_objects()
    {
        var manifest = ChartHarness.RenderOk(ChartHarness.SampleValues("dev"));
        var rendered = Path.Combine(ChartHarness.OutDir, "admission.rendered.yaml");
        File.WriteAllText(rendered, manifest);
        var samples = new JsonArray(Cases.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["kind"] = new JsonObject { ["group"] = Group(c.Resource), ["version"] = "v1", ["kind"] = c.Resource },
                ["resource"] = new JsonObject { ["group"] = Group(c.Resource), ["version"] = "v1", ["resource"] = c.Resource },
                ["subResource"] = c.Sub,
                ["name"] = c.Object,
                ["namespace"] = "orders-dev",
                ["operation"] = c.Op,
                ["userInfo"] = new JsonObject { ["username"] = c.User, ["groups"] = new JsonArray("system:authenticated") },
                ["dryRun"] = false,
            },
        }).ToArray());
        var samplesFile = Path.Combine(ChartHarness.OutDir, "admission.samples.json");
        File.WriteAllText(samplesFile, samples.ToJsonString());

        var r = ChartHarness.Runner.Run(Node.Script(ChartHarness.Tools.CelScript, rendered, samplesFile));
        var verdicts = JsonNode.Parse(r.StandardOutput)!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);
        Assert.All(Cases, c => Assert.True(verdicts[c.Name]!["allowed"]!.GetValue<bool>() == c.Allowed,
            $"{c.Name}: expected {(c.Allowed ? "allowed" : "denied")}, got {verdicts[c.Name]!.ToJsonString()}"));
        var denied = verdicts["human scales the stable Deployment"]!;
        Assert.Equal("Forbidden", denied["reason"]!.GetValue<string>());
        Assert.Equal("orders (orders-dev): alice@example.com may not UPDATE deployments/scale orders-stable: only the release pipeline changes this object (out-of-band edits are undone by the next upgrade)",
            denied["message"]!.GetValue<string>());
    }

    [Fact]
    public void An_empty_pipeline_identity_list_fails_the_render_instead_of_locking_everyone_out()
    {
        var values = ChartHarness.SampleValues("dev").Replace("  pipelineUsers:\n    - \"system:serviceaccount:orders-ci:orders-pipeline\"\n", "  pipelineUsers: []\n");
        var (exit, _, error) = ChartHarness.Template(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("admissionPolicy.pipelineUsers is empty", error);
    }
}
