using System.Globalization;
using System.Text.Json;

namespace Pipeline.Kubernetes;

/// <summary>One pod of the release as the API reports it (kubectl get pods -o json).</summary>
/// <param name="ImageDigest">"sha256:…" the kubelet actually runs (containerStatuses[].imageID), empty until pulled.</param>
/// <param name="SpecImage">The image the pod spec asks for (registry/repo@sha256:…).</param>
public sealed record PodStatus(string Name, string Track, string Version, string Container, string SpecImage, string ImageDigest,
    bool Ready, string Phase, int Restarts, string? WaitingReason, string? WaitingMessage, bool Terminating)
{
    public override string ToString() =>
        $"{Name} ({Track}, {Phase}{(Ready ? ", ready" : ", not ready")}{(Restarts > 0 ? $", {Restarts} restarts" : "")}{(WaitingReason is null ? "" : $", {WaitingReason}: {WaitingMessage}")})";
}

/// <summary>One event about an object (type Normal/Warning, reason, message, how often).</summary>
public sealed record KubeEvent(string Type, string Reason, string Message, int Count, DateTimeOffset? Last)
{
    public override string ToString() => $"{Type} {Reason}{(Count > 1 ? $" (×{Count})" : "")}: {Message}";
}

/// <summary>The traffic split an HTTPRoute holds: weights of the stable and canary backendRefs, and whether the preview rule exists.</summary>
public sealed record RouteWeights(int Stable, int Canary, bool PreviewRule);

/// <summary>
/// Parsing of `kubectl get … -o json` output (PodList, EventList, HTTPRoute). Tested on hand-written fixtures in the
/// shape of the Kubernetes and Gateway API objects (no cluster here to record from).
/// </summary>
public static class KubeJson
{
    public static IReadOnlyList<PodStatus> ParsePods(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var doc = JsonDocument.Parse(json);
        var pods = new List<PodStatus>();
        foreach (var item in Items(doc.RootElement))
        {
            var meta = item.GetProperty("metadata");
            var labels = meta.TryGetProperty("labels", out var l) ? l : default;
            string Label(string k) => labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(k, out var v) ? v.GetString() ?? "" : "";
            var container = item.GetProperty("spec").GetProperty("containers")[0];
            var name = container.GetProperty("name").GetString()!;
            var status = item.TryGetProperty("status", out var st) ? st : default;
            var cs = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("containerStatuses", out var all)
                ? all.EnumerateArray().FirstOrDefault(c => c.GetProperty("name").GetString() == name) : default;
            string? waitingReason = null, waitingMessage = null;
            if (cs.ValueKind == JsonValueKind.Object && cs.TryGetProperty("state", out var state) && state.TryGetProperty("waiting", out var w))
            {
                waitingReason = Str(w, "reason");
                waitingMessage = Str(w, "message");
            }
            var ready = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conds)
                && conds.EnumerateArray().Any(c => Str(c, "type") == "Ready" && Str(c, "status") == "True");
            pods.Add(new PodStatus(
                meta.GetProperty("name").GetString()!,
                Label("track"),
                Label("app.kubernetes.io/version"),
                name,
                container.GetProperty("image").GetString() ?? "",
                cs.ValueKind == JsonValueKind.Object ? DigestOf(Str(cs, "imageID") ?? "") : "",
                ready,
                status.ValueKind == JsonValueKind.Object ? Str(status, "phase") ?? "Unknown" : "Unknown",
                cs.ValueKind == JsonValueKind.Object && cs.TryGetProperty("restartCount", out var rc) ? rc.GetInt32() : 0,
                waitingReason, waitingMessage,
                meta.TryGetProperty("deletionTimestamp", out _)));
        }
        return pods;
    }

    public static IReadOnlyList<KubeEvent> ParseEvents(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var doc = JsonDocument.Parse(json);
        return [.. Items(doc.RootElement).Select(e => new KubeEvent(Str(e, "type") ?? "", Str(e, "reason") ?? "", Str(e, "message") ?? "",
                e.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 1,
                (Str(e, "lastTimestamp") ?? Str(e, "eventTime")) is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null))
            .OrderBy(e => e.Last ?? DateTimeOffset.MinValue)];
    }

    /// <summary>
    /// Weights of the rule that splits traffic between the two Services (a backendRef without weight counts 1, as
    /// the Gateway API defines), and whether a rule routes the preview header to the canary Service.
    /// </summary>
    public static RouteWeights ParseHttpRoute(string json, string stableService, string canaryService, string previewHeader)
    {
        using var doc = JsonDocument.Parse(json);
        int stable = 0, canary = 0;
        var preview = false;
        foreach (var rule in doc.RootElement.GetProperty("spec").GetProperty("rules").EnumerateArray())
        {
            var refs = rule.TryGetProperty("backendRefs", out var b) ? b.EnumerateArray().ToList() : [];
            int Weight(string service) => refs.Where(r => Str(r, "name") == service)
                .Sum(r => r.TryGetProperty("weight", out var w) ? w.GetInt32() : 1);
            var headerMatch = rule.TryGetProperty("matches", out var m) && m.EnumerateArray().Any(x =>
                x.TryGetProperty("headers", out var hs) && hs.EnumerateArray().Any(h => string.Equals(Str(h, "name"), previewHeader, StringComparison.OrdinalIgnoreCase)));
            if (headerMatch) { preview |= Weight(canaryService) > 0 && Weight(stableService) == 0; continue; }
            if (refs.Any(r => Str(r, "name") == stableService) || refs.Any(r => Str(r, "name") == canaryService))
                (stable, canary) = (Weight(stableService), Weight(canaryService));
        }
        return new RouteWeights(stable, canary, preview);
    }

    /// <summary>"sha256:…" from an imageID ("docker.io/x/y@sha256:…", "sha256:…", "docker-pullable://…@sha256:…").</summary>
    public static string DigestOf(string imageId)
    {
        var i = imageId.LastIndexOf("sha256:", StringComparison.Ordinal);
        return i < 0 ? "" : imageId[i..];
    }

    private static IEnumerable<JsonElement> Items(JsonElement root) =>
        root.TryGetProperty("items", out var items) ? items.EnumerateArray() : [root];

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
