using System.Diagnostics;
using Cake.Core.Diagnostics;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.SingleHost.Strategies;

namespace Pipeline.Release;

/// <summary>
/// The canary's weight steps after the first (strategy.steps), target-neutral: for each step the canary set grows
/// to its share (<see cref="CanaryStrategy.CanaryCount"/>), the router moves the weight, release.json records the
/// step and when it started, and after strategy.pauseSeconds the gate judges it — every step except 100 % (no
/// baseline left). A Fail, or an Inconclusive past gates.canary.inconclusiveTimeoutSeconds, and any failure of a
/// seam, rolls back: traffic to stable first, then the canary retires; the loop throws
/// <see cref="ReleaseAbortedException"/>.
/// </summary>
public sealed class CanaryStepLoop(IReleaseTarget target, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
    private ReleaseSession S => target.Session;

    /// <summary>
    /// Walks from the step <paramref name="state"/> is at to 100 %. <paramref name="currentStepJudged"/>: the gate
    /// (PromoteGate) already passed the live step in this run, so it is not judged a second time.
    /// Returns the state at 100 % (the caller promotes).
    /// </summary>
    public async Task<ReleaseState> RunAsync(ReleaseState state, bool currentStepJudged, CancellationToken ct = default)
    {
        var candidate = state.Candidate ?? throw new InvalidOperationException("No candidate release in release.json.");
        var config = S.Config.Strategy;
        if (!currentStepJudged && state.CanaryPercent is > 0 and < 100) await JudgeAsync(state, ct);
        foreach (var step in config.Steps.Where(p => p > state.CanaryPercent))
        {
            state = await GuardAsync(state, $"step {step}%", async () =>
            {
                await target.Workloads.BringUpAsync(candidate, CanaryStrategy.CanaryCount(S.Config.Replicas, step), ct);
                target.Router.SetRoutes(100 - step, step);
                var next = state with { CanaryPercent = step, StepStartedAt = DateTimeOffset.UtcNow };
                S.Persist(next);
                S.Event("weight-changed", "canary", $"{step}% ({target.Router.GetRoutes()})");
                return next;
            });
            if (step == 100) continue;
            await JudgeAsync(state, ct);
        }
        return state;
    }

    /// <summary>Pauses, then asks the judge until it says Pass/Warn; anything else rolls back and throws.</summary>
    public async Task JudgeAsync(ReleaseState state, CancellationToken ct)
    {
        var candidate = state.Candidate!;
        var pause = S.Config.Strategy.PauseSeconds;
        if (pause > 0)
        {
            S.Event("paused", $"{pause}s");
            if (!S.DryRun) await _delay(TimeSpan.FromSeconds(pause), ct);
        }
        if (S.DryRun) return;
        var timeout = TimeSpan.FromSeconds(S.Config.Gates.Canary.InconclusiveTimeoutSeconds);
        var step = new CanaryStep(state.CanaryPercent, state.Stable?.Version ?? "", candidate.Version, state.StepStartedAt ?? DateTimeOffset.UtcNow);
        // Armed before the verdict, so a rollback is nothing but weight changes (no queries of what runs first).
        var abort = target.ArmAbort(state);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var verdict = await target.Judge.AssessAsync(step, ct);
            if (verdict.Verdict is Verdict.Pass or Verdict.Warn) { S.Verdict(verdict); return; }
            if (verdict.Verdict == Verdict.Fail || sw.Elapsed > timeout)
            {
                S.Verdict(verdict);
                var reason = $"canary gate at {state.CanaryPercent}%: {verdict.Verdict} — {verdict.Summary}";
                var back = abort(reason);
                throw new ReleaseAbortedException(back ? $"Release of {candidate.Version} rolled back: {reason}"
                    : $"Release of {candidate.Version} aborted, NOT rolled back (no stable instance was serving, the candidate keeps serving; run Rollback): {reason}", back);
            }
            await _delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    // A seam failing mid-step (an instance that never gets ready, a router error) ends the release the same way a
    // failed gate does: traffic back to stable, the canary removed.
    private async Task<ReleaseState> GuardAsync(ReleaseState state, string what, Func<Task<ReleaseState>> body)
    {
        try { return await body(); }
        catch (ReleaseAbortedException) { throw; }
        catch (Exception e)
        {
            S.Log.Error("{0} failed: {1}", what, e.Message);
            var back = target.ArmAbort(state)($"{what} failed: {e.Message}");
            throw new ReleaseAbortedException($"Release of {state.Candidate!.Version} aborted at '{what}': {e.Message}. " +
                (back ? "Traffic is back on the stable release." : "NOT rolled back: no stable instance was serving, the candidate keeps serving; run Rollback."), back);
        }
    }
}
