using Pipeline.Release;

namespace Pipeline.SingleHost;

/// <summary>
/// The release engine bound to one single-host session (integration tests and benchmarks drive it directly; the
/// tasks go through <see cref="BuildContext.Release"/>). Lock, audit trail and release state are the engine's
/// (<see cref="ReleaseEngine"/>); this type only keeps the single-host entry points stable.
/// </summary>
public sealed class SingleHostRelease(SingleHostSession session)
{
    private readonly ReleaseEngine _engine = new(ReleaseTargets.ForSingleHost(session));

    /// <summary>The image's version, read from the image itself (schema-contract), so labels never lie.</summary>
    public static ReleaseImage Describe(SingleHostSession session, string reference)
    {
        Config.ImageReference.RequireDigest(reference, "image to deploy");
        var apps = new AppInstances(session);
        if (!session.DryRun) apps.EnsureImage(reference);
        return new ReleaseImage(reference, apps.Contract(reference).Version);
    }

    public const string DeployFact = ReleaseEngine.DeployFact;
    public const string StepStartedFact = ReleaseEngine.StepStartedFact;

    public Task<DeployOutcome> DeployAsync(string reference) => _engine.DeployAsync(reference);
    public bool Abort(string reason) => _engine.Abort(reason);
    public Task PromoteAsync(bool currentStepJudged = false) => _engine.PromoteAsync(currentStepJudged);
    public Task RollbackAsync() => _engine.RollbackAsync();
}
