using Pipeline.Host;

namespace Pipeline.Tasks;

// After the plan and the drift check: whoever approves sees what will change before saying yes.
[TaskName(nameof(ApproveDeploy))]
[TaskDescription("Gate: change windows and manual approval (required for prod) before anything deploys.")]
[IsDependentOn(typeof(TerraformPlan))]
[IsDependentOn(typeof(DriftCheck))]
public sealed class ApproveDeploy : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(ApproveDeploy), context.EnvironmentName, "being built (see the open issues).");
}
