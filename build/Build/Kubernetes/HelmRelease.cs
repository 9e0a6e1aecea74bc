using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.SingleHost.Strategies;
using Pipeline.Tools;

namespace Pipeline.Kubernetes;

/// <summary>One track of the release as the chart values carry it: a digest ("sha256:…"), its version, its replicas.</summary>
public sealed record KubeTrack(string Digest, string Version, int Replicas);

/// <summary>
/// What should run: both tracks and the canary's weight — everything the engine ever changes on the cluster — and the
/// schema version the migration Job (same image and digest as the track it precedes) migrates to, if one runs.
/// </summary>
public sealed record KubeDesired(KubeTrack? Stable, KubeTrack? Canary, int CanaryWeight, int? MigrationTarget = null);

/// <summary>Renders the chart's values file for a desired state (the chart helper's ChartValues behind it).</summary>
public delegate string ValuesRenderer(KubeDesired desired);

/// <summary>
/// The one Helm release of the environment, and the only way the engine changes the cluster: a desired state is
/// rendered to the values file (artifacts/kubernetes/&lt;env&gt;/values.yaml, recorded in the run record — "what should
/// run" is a file a Git writer could commit instead), then applied with one <c>helm upgrade --install</c>. The router
/// and the workload controller share this object, so a weight change never forgets the digests and vice versa.
/// </summary>
public sealed class HelmRelease(KubeCluster cluster, ValuesRenderer render)
{
    private KubernetesSettings K => cluster.Settings;
    private ReleaseSession S => cluster.Session;
    private KubeDesired? _desired;

    /// <summary>Desired state: the last applied in this run, else derived from release.json (what the engine declared).</summary>
    public KubeDesired Desired => _desired ??= FromState(S.LoadState(), S.Config.Replicas);

    /// <summary>
    /// A first install (no stable yet) runs its candidate on the stable track; a release in progress has the candidate
    /// on the canary track at its share of the replicas (blue-green: all of them).
    /// </summary>
    public static KubeDesired FromState(ReleaseState state, int replicas)
    {
        if (state.Stable is null)
            return new(state.Candidate is { } first ? new KubeTrack(DigestOf(first.Image), first.Version, replicas) : null, null, 0);
        var stable = new KubeTrack(DigestOf(state.Stable.Image), state.Stable.Version, replicas);
        if (state.Candidate is not { } c) return new(stable, null, 0);
        var count = state.Strategy == "canary" ? CanaryStrategy.CanaryCount(replicas, Math.Max(state.CanaryPercent, 1)) : replicas;
        return new(stable, new KubeTrack(DigestOf(c.Image), c.Version, count), state.CanaryPercent);
    }

    public void Apply(KubeDesired desired, string why)
    {
        if (desired.Stable is null) throw new InvalidOperationException("The chart needs a stable digest: nothing is declared stable yet.");
        Directory.CreateDirectory(Path.GetDirectoryName(K.ValuesFile)!);
        File.WriteAllText(K.ValuesFile, render(desired));
        S.Record.Facts["kubernetes.values"] = K.ValuesFile;
        S.Event("helm-upgrade", K.ReleaseName, $"{why}: stable {desired.Stable.Version}×{desired.Stable.Replicas}"
            + (desired.Canary is { } c ? $", canary {c.Version}×{c.Replicas} at {desired.CanaryWeight}%" : ", no canary"));
        cluster.Run(Helm.UpgradeInstallValues(K.Context, K.ReleaseName, K.Chart, K.Namespace, K.ValuesFile, KubernetesSettings.HelmTimeout),
            KubernetesSettings.HelmTimeout + TimeSpan.FromMinutes(1));
        _desired = desired;
    }

    /// <summary>"sha256:…" of "registry/repo@sha256:…".</summary>
    public static string DigestOf(string reference)
    {
        var at = reference.IndexOf('@');
        return at < 0 ? throw new ArgumentException($"'{reference}' is not a digest reference (repo@sha256:…): Kubernetes runs images by digest only.") : reference[(at + 1)..];
    }
}
