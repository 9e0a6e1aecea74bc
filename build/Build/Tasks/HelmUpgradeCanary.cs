using Pipeline.Host;
using Pipeline.SingleHost;

namespace Pipeline.Tasks;

[TaskName(nameof(HelmUpgradeCanary))]
[TaskDescription("Deploys the pushed digest per strategy: preview route + smoke, then the first canary step (Helm on Kubernetes; containers behind HAProxy on single-host).")]
[IsDependentOn(typeof(Push))]
[IsDependentOn(typeof(ApproveDeploy))]
public sealed class HelmUpgradeCanary : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context)
    {
        if (!context.IsSingleHost) throw new NotAvailableException(nameof(HelmUpgradeCanary), context.EnvironmentName, "the Helm chart is not built yet.");
        var reference = context.ImageToDeploy()
            ?? throw new InvalidOperationException("No image to deploy: Push did not record one, no --image=repo@sha256:… and no image.deploy in " + context.Config.SourceFile);
        return new SingleHostRelease(context.SingleHost).DeployAsync(reference);
    }
}
