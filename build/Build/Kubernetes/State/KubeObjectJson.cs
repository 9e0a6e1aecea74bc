using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.State;

/// <summary>The few pieces of object JSON every record shares: one object or a List, metadata, string maps.</summary>
public static class KubeObjectJson
{
    /// <summary>The one object kubectl printed; null for empty output (get --ignore-not-found of an absent object) or an empty List.</summary>
    public static JsonObject? Single(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        var o = JsonNode.Parse(json)!.AsObject();
        return o["items"] is JsonArray items ? items.Count == 0 ? null : items[0]!.AsObject() : o;
    }

    public static IEnumerable<JsonObject> Items(string json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonNode.Parse(json)!["items"]?.AsArray().Select(i => i!.AsObject()) ?? [];

    public static string Name(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? throw new FormatException("object without metadata.name");
    public static string? ResourceVersion(JsonObject o) => o["metadata"]?["resourceVersion"]?.GetValue<string>();
    public static string? Annotation(JsonObject o, string key) => o["metadata"]?["annotations"]?[key]?.GetValue<string>();

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal) : new Dictionary<string, string>();

    public static JsonObject Map(IReadOnlyDictionary<string, string> map) => new(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
