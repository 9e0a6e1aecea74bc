using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipeline.Kubernetes;

/// <summary>
/// The values the release engine owns — <c>image.repository</c>, <c>stable</c>, <c>canary</c>, <c>route.canaryWeight</c>
/// and <c>migrations.targetVersion</c> (CHART-CONTRACT) — rendered as YAML. The chart helper's ChartValues renders the
/// environment's full values file; the engine's part is this block, so the one generated file says both what
/// the environment is and which digests serve at which weight.
/// </summary>
public static class TrackValues
{
    public static string Render(string imageRepository, KubeDesired d)
    {
        var sb = new StringBuilder();
        sb.Append("image:\n  repository: ").Append(Q(imageRepository)).Append('\n');
        Track(sb, "stable", d.Stable);
        Track(sb, "canary", d.Canary);
        sb.Append("route:\n  canaryWeight: ").Append(d.Canary is null ? 0 : d.CanaryWeight).Append('\n');
        if (d.MigrationTarget is { } m) sb.Append("migrations:\n  targetVersion: ").Append(m.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    private static void Track(StringBuilder sb, string name, KubeTrack? t) =>
        sb.Append(name).Append(":\n")
          .Append("  digest: ").Append(Q(t?.Digest ?? "")).Append('\n')
          .Append("  version: ").Append(Q(t?.Version ?? "")).Append('\n')
          .Append("  replicas: ").Append((t?.Replicas ?? 0).ToString(CultureInfo.InvariantCulture)).Append('\n');

    // JSON strings are YAML double-quoted scalars: a digest or version can never turn into a number or a bool.
    private static string Q(string s) => JsonSerializer.Serialize(s);
}
