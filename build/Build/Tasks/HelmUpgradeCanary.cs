using Pipeline.Host;

namespace Pipeline.Tasks;

[TaskName(nameof(HelmUpgradeCanary))]
[TaskDescription("Deploys the pushed digest as a canary (Helm on Kubernetes; containers behind HAProxy on single-host).")]
[IsDependentOn(typeof(Push))]
[IsDependentOn(typeof(ApproveDeploy))]
public sealed class HelmUpgradeCanary : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new NotAvailableException(nameof(HelmUpgradeCanary), context.EnvironmentName, "being built (see the open issues).");
}
