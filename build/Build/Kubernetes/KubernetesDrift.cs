using System.Globalization;
using System.Text.Json;
using Pipeline.Release;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Kubernetes;

/// <summary>One more thing DriftCheck compares on Kubernetes (the iac helper's <c>terraform plan -refresh-only</c> is one).</summary>
public interface IDriftSource
{
    /// <summary>Checks made and differences found (readable, one line each).</summary>
    (int Checks, IReadOnlyList<string> Differences) Assess();
}

/// <summary>
/// DriftCheck on Kubernetes: declared (release.json → the generated values → the chart rendered with them) versus
/// live — <c>helm get values</c> (what was last applied), <c>helm get manifest</c> against <c>helm template</c>
/// (the objects), the image digests the pods of each track really run, and the HTTPRoute's weights. A change made
/// with kubectl edit/patch/scale shows up in the pods or the route; a <c>helm upgrade</c> by hand in the values
/// and the manifest. The comparisons are pure (tested on recorded output); observation is the argv below.
/// Infrastructure drift (Terraform) plugs in as an <see cref="IDriftSource"/> — see <see cref="KubernetesTarget"/>.
/// </summary>
public sealed class KubernetesDrift(KubeCluster cluster, HelmRelease release, ValuesRenderer render, IReadOnlyList<IDriftSource> extra)
{
    private KubernetesSettings K => cluster.Settings;

    public DriftReport Assess()
    {
        var desired = release.Desired;
        if (desired.Stable is null) return new DriftReport(1, ["release: nothing declared (no release in release.json or the audit trail); nothing to compare"]);
        var diffs = new List<string>();
        var checks = 0;
        void Add((int Checks, IReadOnlyList<string> Differences) r) { checks += r.Checks; diffs.AddRange(r.Differences); }

        var declaredValues = render(desired);
        var live = cluster.TryRun(Helm.GetUserValues(K.Context, K.ReleaseName, K.Namespace));
        if (live.ExitCode != 0) return new DriftReport(1, [$"helm release {K.ReleaseName} in {K.Namespace}: not found ({live.StandardError.Trim()})"]);
        Add(CompareValues(declaredValues, live.StandardOutput));

        // The chart rendered with the declared values, next to what the deployed revision's manifest says.
        var file = Path.Combine(Path.GetDirectoryName(K.ValuesFile)!, "drift-values.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, declaredValues);
        var rendered = cluster.Session.Runner.Run(Helm.TemplateValues(K.ReleaseName, K.Chart, K.Namespace, file)).StandardOutput;
        Add(CompareManifests(rendered, cluster.Run(Helm.GetManifest(K.Context, K.ReleaseName, K.Namespace))));

        Add(ComparePods(desired, [.. cluster.Pods("stable"), .. cluster.Pods("canary")]));
        var route = KubeJson.ParseHttpRoute(cluster.Run(Kubectl.GetJson(K.Context, K.Namespace, "httproute", K.RouteName)), K.StableName, K.CanaryName, K.PreviewHeaderName);
        Add(CompareRoute(desired, route));
        foreach (var source in extra) Add(source.Assess());
        return new DriftReport(checks, diffs);
    }

    /// <summary>Every leaf of the declared values against the live (helm get values -o json) one, both ways.</summary>
    public static (int, IReadOnlyList<string>) CompareValues(string declaredYaml, string liveJson)
    {
        var declared = Flatten(YamlToJson(declaredYaml));
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(liveJson) || liveJson.Trim() == "null" ? "{}" : liveJson);
        var live = Flatten(doc.RootElement);
        var diffs = new List<string>();
        foreach (var (key, value) in declared)
            if (!live.TryGetValue(key, out var l)) diffs.Add($"values {key}: declared {value}, not set in the live release");
            else if (l != value) diffs.Add($"values {key}: declared {value}, live {l}");
        foreach (var key in live.Keys.Where(k => !declared.ContainsKey(k)))
            diffs.Add($"values {key}: live {live[key]}, not declared");
        return (Math.Max(1, declared.Count), diffs);
    }

    /// <summary>Objects (kind/name) of the rendered chart against the deployed manifest: missing, extra, or different.</summary>
    public static (int, IReadOnlyList<string>) CompareManifests(string renderedYaml, string liveManifestYaml)
    {
        var declared = Documents(renderedYaml);
        var live = Documents(liveManifestYaml);
        var diffs = new List<string>();
        foreach (var (key, doc) in declared)
        {
            if (!live.TryGetValue(key, out var l)) { diffs.Add($"manifest {key}: declared, not in the deployed release"); continue; }
            if (FirstDifference(doc, l) is { } d) diffs.Add($"manifest {key}: {d}");
        }
        foreach (var key in live.Keys.Where(k => !declared.ContainsKey(k))) diffs.Add($"manifest {key}: deployed, not declared");
        return (Math.Max(1, declared.Count), diffs);
    }

    /// <summary>Each track's pods: the declared digest, all of them, ready; no canary pods when none is declared.</summary>
    public static (int, IReadOnlyList<string>) ComparePods(KubeDesired desired, IReadOnlyList<PodStatus> pods)
    {
        var diffs = new List<string>();
        var checks = 0;
        void Track(string track, KubeTrack? declared)
        {
            var mine = pods.Where(p => p.Track == track && !p.Terminating).ToList();
            checks++;
            if (declared is null || declared.Replicas == 0)
            {
                if (mine.Count > 0) diffs.Add($"pods {track}: none declared, {mine.Count} run ({string.Join(", ", mine.Select(p => p.Name))})");
                return;
            }
            foreach (var p in mine.Where(p => !p.SpecImage.EndsWith("@" + declared.Digest, StringComparison.Ordinal)))
                diffs.Add($"pods {track}: {p.Name} runs {p.SpecImage}, declared {declared.Digest}");
            foreach (var p in mine.Where(p => p.ImageDigest.Length > 0 && p.ImageDigest != declared.Digest))
                diffs.Add($"pods {track}: {p.Name} is running image {p.ImageDigest}, declared {declared.Digest}");
            var ready = mine.Count(p => p.Ready);
            if (ready != declared.Replicas) diffs.Add($"pods {track}: {ready} ready of {declared.Replicas} declared ({mine.Count} running)");
        }
        Track("stable", desired.Stable);
        Track("canary", desired.Canary);
        return (checks, diffs);
    }

    public static (int, IReadOnlyList<string>) CompareRoute(KubeDesired desired, RouteWeights live)
    {
        var total = live.Stable + live.Canary;
        var canary = total == 0 ? 0 : (int)Math.Round(live.Canary * 100.0 / total);
        return (1, canary == desired.CanaryWeight ? [] : [$"httproute weights: declared canary {desired.CanaryWeight}%, live {canary}% (stable {live.Stable}, canary {live.Canary})"]);
    }

    private static Dictionary<string, string> Documents(string yaml)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in yaml.Split(["\n---"], StringSplitOptions.None))
        {
            var lines = raw.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.TrimStart().StartsWith('#') && l != "---").ToList();
            if (lines.Count == 0) continue;
            // Hooks (the migration Job, the ExternalSecret, helm test's Pod) are not part of a release's manifest:
            // `helm template` prints them, `helm get manifest` never does.
            if (lines.Any(l => l.TrimStart().StartsWith("helm.sh/hook:", StringComparison.Ordinal))) continue;
            var kind = lines.FirstOrDefault(l => l.StartsWith("kind:", StringComparison.Ordinal))?[5..].Trim() ?? "?";
            var name = lines.SkipWhile(l => l != "metadata:").Skip(1).FirstOrDefault(l => l.StartsWith("  name:", StringComparison.Ordinal))?[7..].Trim().Trim('"') ?? "?";
            result[$"{kind}/{name}"] = string.Join("\n", lines);
        }
        return result;
    }

    private static string? FirstDifference(string declared, string live)
    {
        var a = declared.Split('\n');
        var b = live.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i].Trim() : "(end)";
            var y = i < b.Length ? b[i].Trim() : "(end)";
            if (x != y) return $"line {i + 1}: declared '{x}', deployed '{y}'";
        }
        return null;
    }

    private static JsonElement YamlToJson(string yaml)
    {
        var graph = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object?>(yaml);
        var json = new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(graph ?? new Dictionary<string, object>());
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>path → scalar text ("stable.digest" → "sha256:…"); YAML's untyped scalars and JSON's typed ones compare as text.</summary>
    private static Dictionary<string, string> Flatten(JsonElement e, string prefix = "", Dictionary<string, string>? into = null)
    {
        into ??= new Dictionary<string, string>(StringComparer.Ordinal);
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Flatten(p.Value, prefix.Length == 0 ? p.Name : prefix + "." + p.Name, into);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Flatten(item, $"{prefix}[{i++}]", into);
                if (i == 0) into[prefix] = "[]";
                break;
            case JsonValueKind.String: into[prefix] = e.GetString()!; break;
            case JsonValueKind.Null: into[prefix] = "null"; break;
            case JsonValueKind.True: into[prefix] = "true"; break;
            case JsonValueKind.False: into[prefix] = "false"; break;
            default: into[prefix] = e.GetRawText(); break;
        }
        return into;
    }
}
