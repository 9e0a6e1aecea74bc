using Cake.Core.Diagnostics;
using Pipeline.GitHub;
using Pipeline.Host;
using Pipeline.Release;

namespace Pipeline.Tasks;

/// <summary>
/// The deploy: migrate (expand), the first canary instance(s), preview route + smoke test, then the first weight
/// step (strategy.steps[0]). It judges nothing: the step it leaves live is PromoteGate's to judge. A first install
/// (no stable release) is a plain rolling install; the digest already serving is a no-op; the candidate already
/// live (a re-run after a failure elsewhere) is continued. Up runs first so a fresh machine is booted.
/// </summary>
[TaskName(nameof(HelmUpgradeCanary))]
[TaskDescription("Deploys the pushed digest per strategy: preview route + smoke, then the first canary step (Helm on Kubernetes; containers behind HAProxy on single-host).")]
[IsDependentOn(typeof(Push))]
[IsDependentOn(typeof(Up))]
[IsDependentOn(typeof(ApproveDeploy))]
public sealed class HelmUpgradeCanary : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var reference = context.ImageToDeploy()
            ?? throw new InvalidOperationException("No image to deploy: Push did not record one, no --image=repo@sha256:… and no image.deploy in " + context.Config.SourceFile);
        // The image must be pullable before the first user (synthetic or not) is sent anywhere.
        if (context.IsSingleHost && !context.DryRun) new Pipeline.SingleHost.AppInstances(context.SingleHost).EnsureImage(Pipeline.Config.ImageReference.RequireDigest(reference, "image to deploy"));
        var state = context.Release.State;
        // Users (synthetic ones on a demo host) from the moment a canary can start: the gate judges their traffic.
        if (state.Stable is not null && state.Stable.Image != reference) context.StartTraffic($"canary of {reference}");
        GitHubReporting.DeploymentStarted(context, reference); // the Environments page mirrors the audit trail
        var outcome = await context.Release.DeployAsync(reference);
        if (outcome == DeployOutcome.AlreadyServing) context.Log.Information("Release: already serving {0}.", reference);
    }

    public override void OnError(Exception exception, BuildContext context)
    {
        // The deploy rolled itself back (smoke test, start failures): the users can stop now.
        context.StopTraffic();
    }
}
