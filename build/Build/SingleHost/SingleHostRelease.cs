using Cake.Core.Diagnostics;
using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>
/// Deploy / Promote / Rollback as the tasks run them: under the environment lock, with an audit entry for
/// each, whatever the outcome.
/// </summary>
/// <summary>What a deploy did: shipped the candidate, found it already serving, or found it already live (a re-run).</summary>
public enum DeployOutcome { Deployed, AlreadyServing, Continued }

public sealed class SingleHostRelease(SingleHostSession session)
{
    private readonly SingleHostEnvironment _env = new(session);

    /// <summary>The image's version, read from the image itself (schema-contract), so labels never lie.</summary>
    public static ReleaseImage Describe(SingleHostSession session, string reference)
    {
        Config.ImageReference.RequireDigest(reference, "image to deploy");
        var apps = new AppInstances(session);
        if (!session.DryRun) apps.EnsureImage(reference);
        return new ReleaseImage(reference, apps.Contract(reference).Version);
    }

    /// <summary>
    /// Deploys <paramref name="reference"/> (first part of the strategy). Idempotent: the digest already serving
    /// is a no-op, and the candidate already live (a re-run) is continued, not restarted.
    /// </summary>
    public async Task<DeployOutcome> DeployAsync(string reference)
    {
        Config.ImageReference.RequireDigest(reference, "image to deploy");
        using var _ = _env.Lock("deploy");
        var current = _env.State;
        if (current.Candidate is null && current.Stable?.Image == reference && new AppInstances(session).List().Any(i => i.Running && i.Image == reference))
        {
            session.Log.Information("Deploy: already serving {0} ({1}): nothing to deploy.", reference, current.Stable.Version);
            // The contract step is its own later release: once this version alone serves, re-releasing it migrates
            // to its own schemaMax (the app still refuses, exit 3, while any live instance needs the old schema).
            var apps = new AppInstances(session);
            var contract = apps.Contract(reference);
            apps.Migrate(reference, MigrationTarget.For(contract, contract));
            session.Record.Facts[DeployFact] = nameof(DeployOutcome.AlreadyServing);
            return DeployOutcome.AlreadyServing;
        }
        if (current.Candidate?.Image == reference)
        {
            session.Log.Information("Deploy: {0} is already live as the {1} candidate at {2} % (a re-run): continuing from there.", current.Candidate.Version, current.Strategy, current.CanaryPercent);
            RecordLive(current);
            session.Record.Facts[DeployFact] = nameof(DeployOutcome.Continued);
            return DeployOutcome.Continued;
        }
        var image = Describe(session, reference);
        session.Record.Facts["singlehost.candidate"] = image.Image;
        try
        {
            var state = await _env.DeployAsync(image);
            RecordLive(state);
            session.Record.Facts[DeployFact] = nameof(DeployOutcome.Deployed);
            Audit("deploy", image, "succeeded", $"{state.Strategy}: deployed, {state.CanaryPercent}% of traffic");
            return DeployOutcome.Deployed;
        }
        catch (ReleaseAbortedException e)
        {
            Audit("deploy", image, "failed", e.Message);
            var stable = _env.State.Stable;
            if (stable is not null) Audit("rollback", stable, "succeeded", "automatic: " + e.Message);
            throw;
        }
        catch (Exception e)
        {
            Audit("deploy", image, "failed", e.Message);
            throw;
        }
    }

    public const string DeployFact = "singlehost.deploy";

    // What PromoteGate reads when it runs next in the same run: the live canary step and the strategy used.
    private void RecordLive(ReleaseState state)
    {
        session.Record.Facts[GateFacts.CanaryWeight] = state.CanaryPercent.ToString(System.Globalization.CultureInfo.InvariantCulture);
        session.Record.Facts["singlehost.strategy"] = state.Strategy ?? "";
        if (state.StepStartedAt is { } t) session.Record.Facts[StepStartedFact] = t.ToString("O");
    }

    public const string StepStartedFact = "canary.stepStartedAt";

    /// <summary>
    /// Automatic rollback after a failed canary gate: ALL traffic back to stable first (weights only), then the
    /// candidate drains and stops; the audit trail records the refused promotion and the rollback. Returns
    /// false when there was nothing to roll back (no release in progress, or no stable instance serving).
    /// </summary>
    public bool Abort(string reason)
    {
        using var _ = _env.Lock("rollback");
        var state = _env.State;
        if (state.Candidate is not { } candidate) return false;
        var back = new PlanExecutor(session, state).AbortCandidate(reason);
        Audit("promote", candidate, "failed", reason);
        if (back && state.Stable is { } stable) Audit("rollback", stable, "succeeded", "automatic: " + reason);
        return back;
    }

    public async Task PromoteAsync(bool currentStepJudged = false)
    {
        using var _ = _env.Lock("promote");
        var candidate = _env.State.Candidate ?? throw new InvalidOperationException("Nothing to promote: no release in progress.");
        try
        {
            await _env.PromoteAsync(currentStepJudged);
            Audit("promote", candidate, "succeeded", "100% of traffic; previous release retired");
        }
        catch (ReleaseAbortedException e)
        {
            Audit("promote", candidate, "failed", e.Message);
            if (_env.State.Stable is { } stable) Audit("rollback", stable, "succeeded", "automatic: " + e.Message);
            throw;
        }
    }

    /// <summary>
    /// Manual rollback: a release in progress is aborted (back to stable); otherwise the environment returns
    /// to the previous successful release in the audit trail.
    /// </summary>
    public async Task RollbackAsync()
    {
        using var _ = _env.Lock("rollback");
        var state = _env.State;
        ReleaseImage target;
        if (state.Candidate is not null && state.Stable is not null) target = state.Stable;
        else
        {
            var previous = session.Audit.PreviousSuccessfulRelease()
                ?? throw new InvalidOperationException("Nothing to roll back to: the audit trail has no earlier successful release.");
            // A trail written before tags were refused (or edited by hand) must not send a rollback to a moved tag.
            Config.ImageReference.RequireDigest(previous.ImageDigest, $"{session.Audit.Path}: the previous release ({previous.At:u})");
            target = new ReleaseImage(previous.ImageDigest, previous.AppVersion ?? Describe(session, previous.ImageDigest).Version);
        }
        var (ms, wasRunning) = await _env.RollbackAsync(target);
        session.Record.Facts["singlehost.rollback.toTargetMs"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Audit("rollback", target, "succeeded", $"manual: 100% on {target.Version} after {ms} ms ({(wasRunning ? "it was still running" : "it had to start")})");
    }

    private void Audit(string action, ReleaseImage image, string outcome, string note)
    {
        if (session.DryRun) return;
        session.Audit.Append(new AuditEntry(DateTimeOffset.UtcNow, action, session.Layout.Env, session.Actor, image.Image,
            session.Config.Strategy.Kind.ToString(), outcome, [.. session.Record.Verdicts], Note: note, AppVersion: image.Version,
            Revision: session.Record.Revision));
    }
}
