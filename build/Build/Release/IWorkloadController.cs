using Pipeline.SingleHost;

namespace Pipeline.Release;

public enum Track { Stable, Canary }

/// <summary>One running unit of the app (a container on the single host, a pod on Kubernetes).</summary>
public sealed record Workload(string Name, Track Track, string Image, string Version, bool Ready);

/// <summary>
/// The workload seam (Flagger's canary controller, one per workload kind): podman instances on the single host,
/// the stable and canary Deployments of one Helm release on Kubernetes. Images are always digests.
/// </summary>
public interface IWorkloadController
{
    /// <summary>What runs now, by track.</summary>
    IReadOnlyList<Workload> List();

    /// <summary>
    /// Makes <paramref name="count"/> instances of <paramref name="candidate"/> run and be ready on the canary track
    /// (starting only the missing ones), at traffic weight 0. Throws if they never become ready; stable is untouched.
    /// </summary>
    Task BringUpAsync(ReleaseImage candidate, int count, CancellationToken ct);

    /// <summary>
    /// The candidate becomes stable: the stable track runs its digest at the declared replica count and the old
    /// set retires (drained first). Called when the candidate already carries all the traffic it will carry.
    /// </summary>
    Task PromoteAsync(ReleaseImage candidate, CancellationToken ct);

    /// <summary>Removes the canary track (drained first). Traffic must already be off it.</summary>
    Task RetireCanaryAsync(CancellationToken ct);
}
