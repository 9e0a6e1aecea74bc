using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(ApproveDeploy))]
[TaskDescription("Gate: change windows and manual approval (required for prod) before anything deploys.")]
public sealed class ApproveDeploy : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(ApproveDeploy), context.EnvironmentName, "being built (see the open issues).");
}
