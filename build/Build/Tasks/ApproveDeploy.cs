using Pipeline.Gates;
using Pipeline.GitHub;
using Pipeline.Host;
using Pipeline.Records;

namespace Pipeline.Tasks;

// After the plan and the drift check: whoever approves sees what will change before saying yes.
[TaskName(nameof(ApproveDeploy))]
[TaskDescription("Gate: change windows and manual approval (required for prod) before anything deploys.")]
[IsDependentOn(typeof(TerraformPlan))]
[IsDependentOn(typeof(DriftCheck))]
public sealed class ApproveDeploy : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var overrideReason = context.Arguments.HasArgument(Args.OverrideWindow) ? context.Argument(Args.OverrideWindow) ?? "" : null;
        if (overrideReason == "true") overrideReason = ""; // bare --override-window: no reason given
        var window = context.Enforce(ChangeWindowGate.Assess(context.Config.Gates.DenyWindows, DateTimeOffset.UtcNow, overrideReason));
        if (window.Verdict == Verdict.Warn && overrideReason is { Length: > 0 })
        {
            context.Record.Facts[FactKeys.WindowOverride] = overrideReason;
            // Audited on its own, before anything deploys: an override stays on record even if the release then fails.
            if (!context.DryRun)
                context.Audit.Append(AuditTrail.EntryFor(context, "window-override", "granted", overrideReason));
        }

        // In Actions, the approval is read from the API (this run's approvals), not from anything the workflow sets.
        var confirmed = context.Config.Gates.RequireApproval && context.InGitHubActions && !context.DryRun
            ? GitHubReporting.ConfirmApproval(context) : null;
        var approval = context.Enforce(ApprovalGate.Assess(new ApprovalGate.Input(
            context.EnvironmentName, context.Config.Gates.RequireApproval, context.InGitHubActions,
            confirmed is { Approved: true } ? context.EnvironmentName : null,
            context.Actor, context.Flag(Args.Approve), context.Argument(Args.ApprovedBy), confirmed?.Detail)));
        if (approval.Verdict == Verdict.Pass) context.Record.Facts[FactKeys.Approval] = approval.Summary;
    }
}
