using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(TerraformPlan))]
[TaskDescription("Plans the environment's infrastructure (Kubernetes target).")]
public sealed class TerraformPlan : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(TerraformPlan), context.EnvironmentName, "being built (see the open issues).");
}
