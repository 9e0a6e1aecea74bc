using Cake.Core.Diagnostics;
using System.Diagnostics;
using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>
/// A release ended early. <see cref="RolledBack"/>: traffic is back on the stable release — false when no stable
/// instance was serving and the candidate keeps serving (the audit trail must not then claim a rollback).
/// </summary>
public sealed class ReleaseAbortedException(string message, bool rolledBack = true) : Exception(message)
{
    public bool RolledBack { get; } = rolledBack;
}

/// <summary>
/// Performs a strategy's plan against the live environment. Which slots are stable and which belong to the
/// candidate is read from what runs (container labels vs release.json), so a plan split over two processes
/// (deploy, then promote) continues where the first left off.
/// </summary>
public sealed class PlanExecutor(SingleHostSession session, ReleaseState state)
{
    private readonly AppInstances _apps = new(session);
    private readonly LoadBalancer _lb = new(session);
    private ReleaseState _state = state;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(20);

    public ReleaseState State => _state;

    /// <summary>Runs the actions in order; a failed smoke test or gate rolls back (traffic first) and throws.</summary>
    public async Task RunAsync(IReadOnlyList<DeployAction> actions, CancellationToken ct = default)
    {
        session.Log.Information("Plan: {0}", string.Join(" → ", actions));
        for (var index = 0; index < actions.Count; index++)
        {
            var action = actions[index];
            try
            {
                if (_exiting is not null && action is not (StartInstance or AwaitReady or Warm)) await FinishExitingAsync();
                // A batch of new instances (blue-green's green set, a canary's stable set) starts in parallel.
                if (action is StartInstance)
                {
                    var candidate = _state.Candidate ?? throw new InvalidOperationException("No candidate release in release.json.");
                    _apps.SyncScrapeTargets(_state, _apps.StartAll(TakeBatch(actions, ref index), candidate, session.CandidateEnvironment));
                    continue;
                }
                if (action is Warm)
                {
                    _apps.WarmAll(TakeBatch(actions, ref index));
                    continue;
                }
                // Instances already out of the LB stop in parallel: each waits out its own drain delay.
                if (action is StopInstance)
                {
                    var slots = TakeBatch(actions, ref index);
                    if (index + 1 < actions.Count && actions[index + 1] is StartInstance)
                    {
                        // As a Deployment counts a terminating pod toward neither maxSurge nor availability: out of
                        // the LB and drained, these exit while the next batch starts (a rolling step used to wait out
                        // the app's drain delay + exit, ~1.5 s, before its next instance could start).
                        _exiting = Task.Run(() => _apps.Stop(slots), CancellationToken.None);
                        continue;
                    }
                    _apps.Stop(slots);
                    // A promote's last step (MarkStable) rewrites the targets from its own listing: one `podman ps`
                    // (~0.15 s, ~0.12 CPU-s) less at the end of every blue-green and canary release.
                    if (!(index + 1 < actions.Count && actions[index + 1] is MarkStable)) _apps.SyncScrapeTargets(_state);
                    continue;
                }
                await RunOneAsync(action, ct);
            }
            catch (ReleaseAbortedException) { await FinishExitingQuietly(); throw; }
            catch (Exception e) when (_state.Candidate is not null && action is not MarkStable)
            {
                var version = _state.Candidate.Version;
                session.Log.Error("{0} failed: {1}", action, e.Message);
                var back = AbortCandidate($"{action} failed: {e.Message}");
                await FinishExitingQuietly();
                throw new ReleaseAbortedException($"Release of {version} aborted at '{action}': {e.Message}. " +
                    (back ? "Traffic is back on the stable release." : "NOT rolled back: no stable instance was serving, the candidate keeps serving; run Rollback."), back);
            }
        }
        if (_exiting is not null) await FinishExitingAsync();
    }

    /// <summary>
    /// The slots of the run of same-kind slot actions (start / warm / stop) beginning at <paramref name="index"/>, which
    /// is moved to the run's last action: consecutive ones of a kind form one batch.
    /// </summary>
    private static int[] TakeBatch(IReadOnlyList<DeployAction> actions, ref int index)
    {
        var kind = actions[index].GetType();
        var slots = actions.Skip(index).TakeWhile(a => a.GetType() == kind).Select(a => a switch
        {
            StartInstance x => x.Slot,
            Warm x => x.Slot,
            StopInstance x => x.Slot,
            _ => throw new InvalidOperationException($"{a} is not a slot action."),
        }).ToArray();
        index += slots.Length - 1;
        return slots;
    }

    /// <summary>Instances retired in the background (see the StopInstance batch); null when none.</summary>
    private Task? _exiting;

    private async Task FinishExitingAsync()
    {
        var exiting = _exiting!;
        _exiting = null;
        await exiting;
        _apps.SyncScrapeTargets(_state);
    }

    /// <summary>After a failure: the rollback came first (traffic back on stable); the exits still finish before the verb returns.</summary>
    private async Task FinishExitingQuietly()
    {
        if (_exiting is null) return;
        try { await FinishExitingAsync(); }
        catch (Exception e) { session.Log.Warning("Retiring an instance in the background failed: {0}", e.Message); }
    }

    private async Task RunOneAsync(DeployAction action, CancellationToken ct)
    {
        // Retiring (drain/stop) needs no candidate; everything that starts or judges one does.
        ReleaseImage candidate = action is Pipeline.SingleHost.Drain or StopInstance ? null! : _state.Candidate ?? throw new InvalidOperationException("No candidate release in release.json.");
        switch (action)
        {
            case Migrate:
                // While stable serves, stay inside both contracts (no contract step); refuse an incompatible pair.
                var target = MigrationTarget.For(_apps.Contract(candidate.Image), _state.Stable is { } stable ? _apps.Contract(stable.Image) : null);
                _apps.Migrate(candidate.Image, target);
                break;
            case AwaitReady r:
                _apps.AwaitReady(r.Slot, ReadyTimeout);
                break;
            case Preview p:
                for (var slot = 0; slot < session.Layout.SlotCount; slot++)
                    if (!p.Slots.Contains(slot)) _lb.Maint(SingleHostLayout.PreviewBackend, slot);
                foreach (var slot in p.Slots) _lb.Enable(SingleHostLayout.PreviewBackend, slot, 100);
                foreach (var slot in p.Slots) _lb.AwaitUp(SingleHostLayout.PreviewBackend, slot, UpTimeout);
                session.Event("preview", string.Join(",", p.Slots.Select(SingleHostLayout.ServerOf)), candidate.Version);
                break;
            case Smoke:
                var verdict = SmokeTest.Assess(session, candidate.Version);
                session.Verdict(verdict);
                if (verdict.Verdict == Verdict.Fail) Fail($"smoke test failed: {verdict.Summary}");
                break;
            case JoinLb j:
                _lb.Enable(SingleHostLayout.Backend, j.Slot, j.Weight);
                _lb.AwaitUp(SingleHostLayout.Backend, j.Slot, UpTimeout);
                session.Event("joined-lb", SingleHostLayout.ServerOf(j.Slot), $"weight {j.Weight}");
                break;
            case ShiftTraffic t:
                Shift(t.CanaryPercent);
                _stepStarted = DateTimeOffset.UtcNow;
                _state = _state with { CanaryPercent = t.CanaryPercent, StepStartedAt = _stepStarted };
                session.Persist(_state);
                break;
            case Pause p:
                session.Event("paused", $"{p.Seconds}s");
                if (!session.DryRun) await Task.Delay(TimeSpan.FromSeconds(p.Seconds), ct);
                break;
            case Judge j:
                await JudgeAsync(j, candidate, ct);
                break;
            case Drain d:
                Drain(d.Slot);
                break;
            case StopInstance s:
                _apps.Stop(s.Slot);
                _apps.SyncScrapeTargets(_state);
                break;
            case MarkStable:
                // The canary's share-adjusted weights become plain equal weights, and nothing stays in preview.
                // One listing for all three (each `podman ps` ~0.2 s of the release's wall time).
                var listed = _apps.List();
                var candidateSlots = Sets(listed).Candidate;
                foreach (var slot in candidateSlots) _lb.SetWeight(slot, 100);
                foreach (var slot in candidateSlots) _lb.Maint(SingleHostLayout.PreviewBackend, slot);
                _state = new ReleaseState(candidate);
                session.Persist(_state);
                _apps.SyncScrapeTargets(_state, listed);
                session.Event("stable", candidate.Version, candidate.Image);
                break;
            default:
                throw new NotSupportedException(action.ToString());
        }
    }

    // A plan resumed in another process (Promote after the deploy) judges from when the weight was really applied.
    private DateTimeOffset _stepStarted = state.StepStartedAt ?? DateTimeOffset.UtcNow;

    private async Task JudgeAsync(Judge j, ReleaseImage candidate, CancellationToken ct)
    {
        if (session.DryRun) return;
        var timeout = TimeSpan.FromSeconds(session.Config.Gates.Canary.InconclusiveTimeoutSeconds);
        var sw = Stopwatch.StartNew();
        var step = new CanaryStep(j.CanaryPercent, _state.Stable?.Version ?? "", candidate.Version, _stepStarted);
        // Known before the verdict, so a rollback is nothing but weight changes (no podman/LB queries first).
        var sets = Sets();
        var enabled = _lb.EnabledSlots().ToHashSet();
        while (true)
        {
            var verdict = await session.Judge!.AssessAsync(step, ct);
            if (verdict.Verdict is Verdict.Pass or Verdict.Warn) { session.Verdict(verdict); return; }
            if (verdict.Verdict == Verdict.Fail || sw.Elapsed > timeout)
            {
                session.Verdict(verdict);
                Fail($"canary gate at {j.CanaryPercent}%: {verdict.Verdict} — {verdict.Summary}", (sets.Stable.Where(enabled.Contains).ToList(), sets.Candidate));
            }
            await Task.Delay(1000, ct);
        }
    }

    private void Fail(string reason, (List<int> ServingStable, List<int> Candidate)? known = null)
    {
        var version = _state.Candidate?.Version;
        var back = AbortCandidate(reason, known);
        throw new ReleaseAbortedException(back ? $"Release of {version} rolled back: {reason}"
            : $"Release of {version} aborted, NOT rolled back (no stable instance was serving, the candidate keeps serving; run Rollback): {reason}", back);
    }

    /// <summary>Slots of running instances by image.</summary>
    public (List<int> Stable, List<int> Candidate) Sets() => Sets(_apps.List());

    private (List<int> Stable, List<int> Candidate) Sets(IReadOnlyList<AppInstance> listed)
    {
        var running = listed.Where(i => i.Running && i.Slot is not null).ToList();
        var cand = _state.Candidate?.Image;
        return (running.Where(i => i.Image != cand).Select(i => i.Slot!.Value).Order().ToList(),
                running.Where(i => i.Image == cand).Select(i => i.Slot!.Value).Order().ToList());
    }

    // The router owns the share → per-server weights arithmetic (the engine's canary steps use the same code).
    private void Shift(int percent) => new SingleHostTrafficRouter(session).SetCanaryShare(percent, _state, _state.CanaryPercent);

    private void Drain(int slot)
    {
        _lb.Maint(SingleHostLayout.PreviewBackend, slot);
        _lb.StartDrain(slot);
        var left = _lb.AwaitIdle(slot, TimeSpan.FromSeconds(session.Config.App.GracePeriodSeconds));
        _lb.Maint(SingleHostLayout.Backend, slot);
        session.Event("drained", SingleHostLayout.ServerOf(slot), left == 0 ? "0 sessions" : $"{left} sessions left at the bound");
    }

    /// <summary>
    /// Automatic rollback: ALL traffic back to stable first (one weight change per server, no reload), and only
    /// then the candidate's instances leave and stop. The time from the verdict to 100 % stable is recorded.
    /// </summary>
    public bool AbortCandidate(string reason, (List<int> ServingStable, List<int> Candidate)? known = null)
    {
        var sw = Stopwatch.StartNew();
        List<int> servingStable, cand;
        if (known is { } k) (servingStable, cand) = k;
        else
        {
            var (stable, c) = Sets();
            var enabled = _lb.EnabledSlots().ToHashSet();
            (servingStable, cand) = (stable.Where(enabled.Contains).ToList(), c);
        }
        if (servingStable.Count == 0 && !session.DryRun)
        {
            // Nothing stable to fall back to (e.g. a rolling release already replaced it): keep what serves.
            session.Event("rollback-impossible", "candidate kept", reason);
            return false;
        }
        foreach (var s in servingStable) _lb.SetWeight(s, 100);
        foreach (var s in cand) { _lb.SetWeight(s, 0); _lb.Maint(SingleHostLayout.PreviewBackend, s); }
        session.Event("weight-changed", SingleHostLayout.Backend, $"canary 0% (rollback: {reason})");
        session.Record.Facts["singlehost.rollback.toStableMs"] = sw.ElapsedMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        session.Event("rolled-back-traffic", "stable", $"{sw.ElapsedMilliseconds} ms after the verdict");
        foreach (var s in cand) Drain(s);
        _apps.Stop([.. cand]);
        _state = _state with { Candidate = null, CanaryPercent = 0, StepStartedAt = null };
        session.Persist(_state);
        _apps.SyncScrapeTargets(_state);
        return true;
    }
}
