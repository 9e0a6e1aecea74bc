using Pipeline.Records;

namespace Pipeline.SingleHost;

/// <summary>
/// Deploy / Promote / Rollback as the tasks run them: under the environment lock, with an audit entry for
/// each, whatever the outcome.
/// </summary>
public sealed class SingleHostRelease(SingleHostSession session)
{
    private readonly SingleHostEnvironment _env = new(session);

    /// <summary>The image's version, read from the image itself (schema-contract), so labels never lie.</summary>
    public static ReleaseImage Describe(SingleHostSession session, string reference)
    {
        var apps = new AppInstances(session);
        if (!session.DryRun) apps.EnsureImage(reference);
        return new ReleaseImage(reference, apps.Contract(reference).Version);
    }

    public async Task DeployAsync(string reference)
    {
        using var _ = _env.Lock("deploy");
        var image = Describe(session, reference);
        session.Record.Facts["singlehost.candidate"] = image.Image;
        try
        {
            var state = await _env.DeployAsync(image);
            // What PromoteGate reads when it runs next in the same run: the live canary step and the strategy used.
            session.Record.Facts[GateFacts.CanaryWeight] = state.CanaryPercent.ToString(System.Globalization.CultureInfo.InvariantCulture);
            session.Record.Facts["singlehost.strategy"] = state.Strategy ?? "";
            Audit("deploy", image, "succeeded", $"{state.Strategy}: deployed, {state.CanaryPercent}% of traffic");
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

    public async Task PromoteAsync()
    {
        using var _ = _env.Lock("promote");
        var candidate = _env.State.Candidate ?? throw new InvalidOperationException("Nothing to promote: no release in progress.");
        try
        {
            await _env.PromoteAsync();
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
