using Cake.Core.Diagnostics;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.Release;

namespace Pipeline.Tasks;

/// <summary>
/// Finishes the release the deploy started and PromoteGate passed: the remaining canary steps (each judged by the
/// same canary analysis), then the old set drains and stops, and the candidate becomes stable (audit: promote).
/// A step PromoteGate already passed in this run is not judged again; one it did not judge (e.g. its verdict was
/// Skipped) is judged here first — no canary step is ever promoted unjudged. A first install (rolling, no
/// baseline) is simply finalised. Nothing in progress because the digest already serves: a no-op.
/// </summary>
[TaskName(nameof(Promote))]
[TaskDescription("Shifts all traffic to the new release (remaining canary steps, each judged) and retires the old one.")]
[IsDependentOn(typeof(HelmUpgradeCanary))]
[IsDependentOn(typeof(PromoteGate))]
public sealed class Promote : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var state = context.Release.State;
        if (!context.DryRun && state.Candidate is null
            && context.Record.Facts.GetValueOrDefault(ReleaseEngine.DeployFact) == nameof(DeployOutcome.AlreadyServing))
        {
            context.Log.Information("Promote: nothing to promote, already serving {0}.", state.Stable?.Image);
            return;
        }
        if (context.DryRun && state.Candidate is null)
        {
            // A dry run deployed nothing (release.json unchanged): say what would happen instead of failing.
            context.Log.Information("Dry run: would walk the remaining canary steps (each judged), retire the old set and mark the candidate stable.");
            return;
        }
        var judged = context.Record.Verdicts.Any(v => v.Gate == $"canary-{state.CanaryPercent}" && v.Verdict == Verdict.Pass);
        await context.Release.PromoteAsync(currentStepJudged: judged);
    }

    // The load tester ran for the canary: it stops when the promotion (or its automatic rollback) is over.
    public override void Finally(BuildContext context) => context.StopTraffic();
}
