using Cake.Core.Diagnostics;
using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Records;

namespace Pipeline.Tasks;

[TaskName(nameof(TerraformPlan))]
[TaskDescription("Plans the environment's infrastructure (Kubernetes target; not applicable to single-host).")]
public sealed class TerraformPlan : FrostingTask<BuildContext>
{
    public const string NotApplicable = "single-host has no Terraform-managed infrastructure";

    public override bool ShouldRun(BuildContext context)
    {
        if (context.Config.Target != TargetKind.SingleHost) return true;
        // Skipped, and recorded as skipped: a release record must never suggest a plan was reviewed.
        context.Log.Information("Skipping {0}: {1}.", nameof(TerraformPlan), NotApplicable);
        context.Record.Verdicts.Add(new GateVerdict("terraform-plan", Verdict.Skipped, NotApplicable));
        return false;
    }

    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(TerraformPlan), context.EnvironmentName,
            "the Terraform modules are a later issue (argv builders exist in Tools/Terraform.cs).");
}
