using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// A ConfigMap as the release records use it: its name, its data and the resourceVersion it was read at (sent
/// back on a replace, so the API server refuses a write over a change this run did not see).
/// </summary>
public sealed record KubeConfigMap(string Name, IReadOnlyDictionary<string, string> Data, string? ResourceVersion = null)
{
    /// <summary>The manifest kubectl create/replace reads; <paramref name="immutable"/>: the API server refuses any later change of its data.</summary>
    public string ToJson(string @namespace, IReadOnlyDictionary<string, string> labels, bool immutable = false)
    {
        var metadata = new JsonObject { ["name"] = Name, ["namespace"] = @namespace, ["labels"] = KubeObjectJson.Map(labels) };
        if (ResourceVersion is not null) metadata["resourceVersion"] = ResourceVersion;
        var o = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata };
        if (immutable) o["immutable"] = true;
        o["data"] = KubeObjectJson.Map(Data);
        return o.ToJsonString();
    }

    /// <summary>`kubectl get configmap NAME --ignore-not-found -o json` (or create/replace -o json); null when it printed nothing: absent.</summary>
    public static KubeConfigMap? Parse(string json) => KubeObjectJson.Single(json) is { } o ? From(o) : null;

    /// <summary>A ConfigMapList (`kubectl get configmaps --selector … -o json`).</summary>
    public static IReadOnlyList<KubeConfigMap> ParseList(string json) => [.. KubeObjectJson.Items(json).Select(From)];

    private static KubeConfigMap From(JsonObject o) =>
        new(KubeObjectJson.Name(o), KubeObjectJson.StringMap(o["data"]), KubeObjectJson.ResourceVersion(o));
}
