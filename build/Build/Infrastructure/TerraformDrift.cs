using System.Text.Json;
using Pipeline.Kubernetes;
using Pipeline.Release;
using Pipeline.Tools;

namespace Pipeline.Infrastructure;

/// <summary>
/// DriftCheck's Terraform source on Kubernetes: <c>terraform plan -refresh-only -detailed-exitcode</c> of the
/// environment's root — what changed outside Terraform in the namespace, the Gateway, Prometheus, External Secrets,
/// the database. The app's Helm release is the one object two writers touch: Terraform creates it, the pipeline
/// upgrades it on every canary step (new revision, new values). Those changes are the pipeline's and DriftCheck's
/// Helm comparison checks them against release.json, so here they are discounted — any other change to that release
/// (chart, namespace, status) and every change elsewhere is drift.
/// </summary>
public sealed class TerraformDrift(TerraformEnvironment tf, ReleaseSession session, KubernetesSettings k, Func<KubeDesired> declared, ValuesRenderer render) : IDriftSource
{
    /// <summary>Address of the app's release in every environment root (terraform/envs/&lt;env&gt;/main.tf → module "orders").</summary>
    public const string AppReleaseAddress = "module.orders.helm_release.app";

    /// <summary>Attributes of the app's release that the pipeline's own helm upgrades change (revision, values, app version live in metadata).</summary>
    public static readonly IReadOnlySet<string> PipelineOwnedAttributes = new HashSet<string>(StringComparer.Ordinal) { "metadata" };

    private static readonly TimeSpan InitTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PlanTimeout = TimeSpan.FromMinutes(30);

    public (int Checks, IReadOnlyList<string> Differences) Assess()
    {
        var runner = session.Runner;
        tf.EnsureReady();
        var varFiles = tf.WriteVariables(k, declared(), render);
        runner.Run(Tools.Terraform.Init(tf.Dir), timeout: InitTimeout);
        var plan = Tools.Terraform.RefreshOnlyPlan(tf.Dir, tf.DriftPlanFile, varFiles);
        if (TerraformExitCode.Interpret(plan, runner.Run(plan, allowFailure: true, timeout: PlanTimeout)) == PlanResult.NoChanges)
            return (1, []);
        var json = runner.Run(Tools.Terraform.ShowJson(tf.Dir, tf.DriftPlanFile), timeout: InitTimeout).StandardOutput;
        return Differences(json);
    }

    /// <summary>
    /// The readable drift of a refresh-only plan (terraform show -json): one line per resource changed outside
    /// Terraform, naming the attributes; the pipeline's own upgrades of the app release are not drift.
    /// </summary>
    public static (int Checks, IReadOnlyList<string> Differences) Differences(string showJson)
    {
        using var doc = JsonDocument.Parse(showJson);
        var diffs = new List<string>();
        var checks = 0;
        if (!doc.RootElement.TryGetProperty("resource_drift", out var drift)) return (1, []);
        foreach (var r in drift.EnumerateArray())
        {
            checks++;
            var address = r.GetProperty("address").GetString()!;
            var change = r.GetProperty("change");
            var actions = change.GetProperty("actions").EnumerateArray().Select(a => a.GetString()).ToList();
            if (actions.Contains("delete"))
            {
                diffs.Add($"terraform {address}: deleted outside Terraform");
                continue;
            }
            var changed = ChangedAttributes(change.GetProperty("before"), change.GetProperty("after"));
            if (address == AppReleaseAddress && changed.All(PipelineOwnedAttributes.Contains)) continue;
            if (changed.Count > 0) diffs.Add($"terraform {address}: changed outside Terraform ({string.Join(", ", changed)})");
        }
        return (Math.Max(1, checks), diffs);
    }

    private static List<string> ChangedAttributes(JsonElement before, JsonElement after)
    {
        if (before.ValueKind != JsonValueKind.Object || after.ValueKind != JsonValueKind.Object)
            return JsonEquals(before, after) ? [] : ["(whole object)"];
        var names = before.EnumerateObject().Select(p => p.Name).Union(after.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
        return names.Where(n => !(before.TryGetProperty(n, out var b) && after.TryGetProperty(n, out var a) && JsonEquals(b, a))).ToList();
    }

    private static bool JsonEquals(JsonElement a, JsonElement b) => JsonElement.DeepEquals(a, b);
}
