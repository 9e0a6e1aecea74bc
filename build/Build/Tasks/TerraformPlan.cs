using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Infrastructure;
using Pipeline.Kubernetes;
using Pipeline.Records;
using Pipeline.Release;
using Pipeline.Tools;

namespace Pipeline.Tasks;

/// <summary>
/// terraform init + plan -out of the environment's root with the pipeline's variables (the digest release.json
/// declares, the generated values): before anyone approves, the record says what an apply would change. The plan
/// is saved (artifacts/terraform/&lt;env&gt;/plan.tfplan) so the apply that follows is exactly what was reviewed.
/// </summary>
[TaskName(nameof(TerraformPlan))]
[TaskDescription("Plans the environment's infrastructure (Kubernetes target; not applicable to single-host).")]
public sealed class TerraformPlan : FrostingTask<BuildContext>
{
    public const string NotApplicable = "single-host has no Terraform-managed infrastructure";
    public const string Gate = "terraform-plan";

    public override bool ShouldRun(BuildContext context)
    {
        if (context.Config.Target != TargetKind.SingleHost) return true;
        // Skipped, and recorded as skipped: a release record must never suggest a plan was reviewed.
        context.Log.Information("Skipping {0}: {1}.", nameof(TerraformPlan), NotApplicable);
        context.Record.Verdicts.Add(new GateVerdict(Gate, Records.Verdict.Skipped, NotApplicable));
        return false;
    }

    public override void Run(BuildContext context)
    {
        var tf = TerraformEnvironment.For(context.Paths.RepoRoot, context.Paths.Artifacts, context.EnvironmentName);
        var k = KubernetesSettings.From(context.Config, context.Paths.RepoRoot, context.Paths.Artifacts);
        var target = (KubernetesTarget)context.Release.Target;
        // Local prerequisites first: what is declared is read from the cluster (release.json lives there).
        if (!context.DryRun) tf.EnsureReady();
        // A first install declares the image this run deploys (Push's digest, --image or image.deploy).
        var declared = TerraformEnvironment.Declared(target.Release.Desired,
            context.ImageToDeploy(), context.Record.Facts.GetValueOrDefault(FactKeys.AppVersion), context.Config.Replicas);
        if (context.DryRun)
        {
            // The commands, printed; nothing written (the variables file needs a declared digest and the chart on disk).
            context.Runner.Run(Tools.Terraform.Init(tf.Dir));
            context.Runner.Run(Tools.Terraform.Plan(tf.Dir, tf.PlanFile, [tf.VariablesFile]));
            context.Record.Verdicts.Add(new GateVerdict(Gate, Records.Verdict.Skipped, "dry run: nothing planned"));
            return;
        }
        var varFiles = tf.WriteVariables(k, declared, ReleaseTargets.Values(context.Config, k));
        context.Runner.Run(Tools.Terraform.Init(tf.Dir), timeout: TimeSpan.FromMinutes(10));
        var plan = Tools.Terraform.Plan(tf.Dir, tf.PlanFile, varFiles);
        var result = TerraformExitCode.Interpret(plan, context.Runner.Run(plan, allowFailure: true, timeout: TimeSpan.FromMinutes(30)));
        context.Record.Facts["terraform.plan"] = tf.PlanFile;
        context.Record.Verdicts.Add(Assess(result, declared.Stable!.Digest, tf.PlanFile));
    }

    /// <summary>Changes are a result to review, not a failure: the approval that follows sees them (Warn), no changes pass.</summary>
    public static GateVerdict Assess(PlanResult result, string digest, string planFile) => result == PlanResult.NoChanges
        ? new GateVerdict(Gate, Records.Verdict.Pass, $"no changes (app at {digest})")
        : new GateVerdict(Gate, Records.Verdict.Warn, $"changes planned (app at {digest}); review {planFile} (terraform show) before applying");
}
