using Pipeline.Release;
using Pipeline.SingleHost;

namespace Pipeline.Kubernetes;

/// <summary>
/// The workload seam on Kubernetes: the stable and canary Deployments of the one Helm release, each pinned to a
/// digest by the generated values. Every change is a <c>helm upgrade</c> of the values; readiness is polled by
/// <see cref="PodReadiness"/> (not helm --wait), and a track that never gets ready fails with its pods' events and
/// logs while the other track is untouched.
/// </summary>
public sealed class HelmWorkloadController(KubeCluster cluster, HelmRelease release, PodReadiness readiness) : IWorkloadController
{
    private ReleaseSession S => cluster.Session;

    public IReadOnlyList<Workload> List() =>
        [.. new[] { "stable", "canary" }.SelectMany(cluster.Pods)
            .Select(p => new Workload(p.Name, p.Track == "canary" ? Track.Canary : Track.Stable, p.SpecImage, p.Version, p.Ready))];

    /// <summary>The canary track by digest at <paramref name="count"/> replicas (its current weight unchanged), then polled until ready.</summary>
    public async Task BringUpAsync(ReleaseImage candidate, int count, CancellationToken ct)
    {
        var d = release.Desired;
        if (d.Stable is null) throw new InvalidOperationException("No stable track: a first install goes through the stable track, not a canary.");
        var track = new KubeTrack(HelmRelease.DigestOf(candidate.Image), candidate.Version, count);
        if (d.Canary != track) release.Apply(d with { Canary = track }, $"canary {candidate.Version} ×{count}");
        await readiness.AwaitAsync("canary", track.Digest, count, KubernetesSettings.ReadyTimeout, ct);
    }

    /// <summary>
    /// Stable track to the canary's digest first (the canary keeps its weight while the stable pods roll, so
    /// capacity never dips), polled until ready; then weight 0 and the canary scaled to 0 in one upgrade.
    /// </summary>
    public async Task PromoteAsync(ReleaseImage candidate, CancellationToken ct)
    {
        var d = release.Desired;
        var stable = new KubeTrack(HelmRelease.DigestOf(candidate.Image), candidate.Version, S.Config.Replicas);
        if (d.Stable != stable)
        {
            release.Apply(d with { Stable = stable }, $"promote: stable track to {candidate.Version}");
            await readiness.AwaitAsync("stable", stable.Digest, stable.Replicas, KubernetesSettings.ReadyTimeout, ct);
        }
        if (release.Desired.Canary is not null || release.Desired.CanaryWeight != 0)
            release.Apply(release.Desired with { Canary = null, CanaryWeight = 0 }, "promote: weight 0, canary scaled to 0");
        S.Persist(new ReleaseState(candidate));
        S.Event("stable", candidate.Version, candidate.Image);
    }

    /// <summary>Weight 0 first (if it was not already), then the canary track scaled to 0.</summary>
    public Task RetireCanaryAsync(CancellationToken ct)
    {
        var d = release.Desired;
        if (d.CanaryWeight != 0) release.Apply(d with { CanaryWeight = 0 }, "weight 0");
        if (release.Desired.Canary is not null) release.Apply(release.Desired with { Canary = null }, "canary scaled to 0");
        return Task.CompletedTask;
    }
}
