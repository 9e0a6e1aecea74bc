using System.Globalization;
using Cake.Core.Diagnostics;
using Pipeline.Records;
using Pipeline.SingleHost;

namespace Pipeline.Release;

/// <summary>What a deploy did: shipped the candidate, found it already serving, or found it already live (a re-run).</summary>
public enum DeployOutcome { Deployed, AlreadyServing, Continued }

/// <summary>
/// The release verbs the tasks call — deploy, promote, abort, rollback, drift, history — the same for every target:
/// each mutating verb holds the environment lock for its whole duration, reads and writes release.json, and writes
/// one audit entry per outcome (a failed promotion also records the automatic rollback). Whatever differs per
/// target is behind <see cref="IReleaseTarget"/>; the canary's weight steps are <see cref="CanaryStepLoop"/>.
/// </summary>
public sealed class ReleaseEngine(IReleaseTarget target)
{
    public const string DeployFact = "release.deploy";
    public const string StrategyFact = "release.strategy";
    public const string CandidateFact = "release.candidate";
    public const string StepStartedFact = "canary.stepStartedAt";

    private ReleaseSession S => target.Session;
    public IReleaseTarget Target => target;

    /// <summary>What the environment is meant to run right now (release.json).</summary>
    public ReleaseState State => S.LoadState();

    /// <summary>
    /// Deploys <paramref name="reference"/> (first part of the strategy). Idempotent: the digest already serving
    /// is a no-op, and the candidate already live (a re-run) is continued, not restarted.
    /// </summary>
    public async Task<DeployOutcome> DeployAsync(string reference, CancellationToken ct = default)
    {
        Config.ImageReference.RequireDigest(reference, "image to deploy");
        using var _ = S.Lock("deploy");
        var current = State;
        if (current.Candidate is null && current.Stable?.Image == reference && target.IsServing(current, reference))
        {
            S.Log.Information("Deploy: already serving {0} ({1}): nothing to deploy.", reference, current.Stable.Version);
            target.MigrateToOwnContract(reference);
            S.Record.Facts[DeployFact] = nameof(DeployOutcome.AlreadyServing);
            return DeployOutcome.AlreadyServing;
        }
        if (current.Candidate?.Image == reference)
        {
            S.Log.Information("Deploy: {0} is already live as the {1} candidate at {2} % (a re-run): continuing from there.", current.Candidate.Version, current.Strategy, current.CanaryPercent);
            RecordLive(current);
            S.Record.Facts[DeployFact] = nameof(DeployOutcome.Continued);
            return DeployOutcome.Continued;
        }
        if (current.Candidate is not null)
            throw new InvalidOperationException($"Release of {current.Candidate.Version} is still in progress (release.json); Promote or Rollback it first.");
        var image = target.Describe(reference);
        S.Record.Facts[CandidateFact] = image.Image;
        try
        {
            var state = await target.StartAsync(image, current, ct);
            RecordLive(state);
            S.Record.Facts[DeployFact] = nameof(DeployOutcome.Deployed);
            S.AuditEntry("deploy", image, "succeeded", $"{state.Strategy}: deployed, {state.CanaryPercent}% of traffic");
            return DeployOutcome.Deployed;
        }
        catch (ReleaseAbortedException e)
        {
            S.AuditEntry("deploy", image, "failed", e.Message);
            AuditAutomaticRollback(e, current.Stable);
            throw;
        }
        catch (Exception e)
        {
            S.AuditEntry("deploy", image, "failed", e.Message);
            throw;
        }
    }

    // What PromoteGate reads when it runs next in the same run: the live canary step and the strategy used.
    private void RecordLive(ReleaseState state)
    {
        S.Record.Facts[GateFacts.CanaryWeight] = state.CanaryPercent.ToString(CultureInfo.InvariantCulture);
        S.Record.Facts[StrategyFact] = state.Strategy ?? "";
        if (state.StepStartedAt is { } t) S.Record.Facts[StepStartedFact] = t.ToString("O");
    }

    /// <summary>
    /// Finishes the release: a canary walks its remaining steps (<see cref="CanaryStepLoop"/>, each judged), then the
    /// workloads promote the candidate (the old set retires). <paramref name="currentStepJudged"/>: the gate already
    /// passed the live step in this run.
    /// </summary>
    public async Task PromoteAsync(bool currentStepJudged = false, CancellationToken ct = default)
    {
        using var _ = S.Lock("promote");
        var state = State;
        var candidate = state.Candidate ?? throw new InvalidOperationException("Nothing to promote: no release in progress (release.json).");
        try
        {
            if (state.Strategy == "canary") state = await new CanaryStepLoop(target).RunAsync(state, currentStepJudged, ct);
            await target.Workloads.PromoteAsync(candidate, ct);
            S.AuditEntry("promote", candidate, "succeeded", "100% of traffic; previous release retired");
        }
        catch (ReleaseAbortedException e)
        {
            S.AuditEntry("promote", candidate, "failed", e.Message);
            AuditAutomaticRollback(e, state.Stable);
            throw;
        }
    }

    /// <summary>
    /// Automatic rollback after a failed canary gate: ALL traffic back to stable first, then the candidate drains
    /// and stops; the audit trail records the refused promotion and the rollback. False when there was nothing to
    /// roll back (no release in progress, or no stable instance serving).
    /// </summary>
    public bool Abort(string reason)
    {
        using var _ = S.Lock("rollback");
        var state = State;
        if (state.Candidate is not { } candidate) return false;
        var back = target.ArmAbort(state)(reason);
        S.AuditEntry("promote", candidate, "failed", reason);
        AuditAutomaticRollback(new ReleaseAbortedException(reason, back), state.Stable);
        return back;
    }

    // What the abort really did (it used to say "rollback succeeded" whenever release.json named a stable release,
    // even when no stable instance served and the candidate kept all the traffic).
    private void AuditAutomaticRollback(ReleaseAbortedException e, ReleaseImage? stable)
    {
        if (stable is null) return;
        if (e.RolledBack) S.AuditEntry("rollback", stable, "succeeded", "automatic: " + e.Message);
        else S.AuditEntry("rollback", stable, "failed", "automatic rollback impossible: no stable instance was serving, the candidate still serves; run Rollback. " + e.Message);
    }

    /// <summary>
    /// Manual rollback: a release in progress is aborted (back to stable); otherwise the environment returns to the
    /// previous successful release in the audit trail.
    /// </summary>
    public async Task RollbackAsync(CancellationToken ct = default)
    {
        using var _ = S.Lock("rollback");
        var state = State;
        ReleaseImage to;
        if (state.Candidate is not null && state.Stable is not null) to = state.Stable;
        else
        {
            var previous = S.Audit.PreviousSuccessfulRelease()
                ?? throw new InvalidOperationException("Nothing to roll back to: the audit trail has no earlier successful release.");
            // A trail written before tags were refused (or edited by hand) must not send a rollback to a moved tag.
            Config.ImageReference.RequireDigest(previous.ImageDigest, $"{S.Audit.Where}: the previous release ({previous.At:u})");
            to = new ReleaseImage(previous.ImageDigest, previous.AppVersion ?? target.Describe(previous.ImageDigest).Version);
        }
        var (ms, wasRunning) = await target.RollbackToAsync(to, ct);
        S.Record.Facts["release.rollback.toTargetMs"] = ms.ToString(CultureInfo.InvariantCulture);
        S.AuditEntry("rollback", to, "succeeded", $"manual: 100% on {to.Version} after {ms} ms ({(wasRunning ? "it was still running" : "it had to start")})");
    }

    public DriftReport Drift() => target.Drift();

    /// <summary>The audit trail, oldest first (History prints it).</summary>
    public IReadOnlyList<AuditEntry> History() => S.Audit.Read();
}
