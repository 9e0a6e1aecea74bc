using System.Text.Json.Nodes;
using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes.Support;

/// <summary>
/// The API server's side of the release records, in memory: ConfigMaps and Leases created, listed by label,
/// replaced only at their current resourceVersion — answering kubectl's argv with the JSON and the error lines
/// kubectl prints (AlreadyExists, Conflict, NotFound). Shared by several <see cref="ClusterScript"/>s it is one
/// cluster seen from several runners, each with its own empty state dir.
/// </summary>
public sealed class ClusterObjects
{
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private long _version = 4100;

    /// <summary>Runs once just before the next create/replace is applied: another runner's write sneaking in between a read and a write.</summary>
    public Action? BeforeNextWrite { get; set; }

    /// <summary>Runs before every read of one object (get configmap/lease NAME): another runner's write landing while this one watches.</summary>
    public Action? BeforeEachRead { get; set; }

    /// <summary>The API server's refusal of the next create/replace (RBAC, admission, quota), as kubectl prints it.</summary>
    public string? RefuseNextWrite { get; set; }

    /// <summary>Seeds an object as if another run had written it (a resourceVersion is assigned if it has none).</summary>
    public void Put(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        o["metadata"]!["resourceVersion"] ??= NextVersion();
        _objects[Key(o)] = o;
    }

    public JsonObject? Get(string kind, string name) => _objects.GetValueOrDefault(kind.ToLowerInvariant() + "/" + name);

    public IEnumerable<JsonObject> All(string kind) => _objects.Where(p => p.Key.StartsWith(kind.ToLowerInvariant() + "/", StringComparison.Ordinal)).Select(p => p.Value);

    /// <summary>Answers a record command (get/create/replace/delete of a ConfigMap or Lease); false for anything else.</summary>
    public bool TryAnswer(ToolCommand c, out ToolResult result)
    {
        result = null!;
        var a = c.Args;
        if (c.Tool != "kubectl" || a.Count < 7 || a[0] != "--context") return false;
        switch (a[4], a[5])
        {
            case ("get", "configmap" or "lease"):
                BeforeEachRead?.Invoke();
                result = Ok(Get(a[5], a[6])?.ToJsonString() ?? "");
                return true;
            case ("get", "configmaps") when a[6] == "--selector":
                var wanted = a[7].Split(',').Select(p => p.Split('=')).ToList();
                var items = All("configmap").Where(o => wanted.All(w => o["metadata"]?["labels"]?[w[0]]?.GetValue<string>() == w[1]));
                result = Ok(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]) }.ToJsonString());
                return true;
            case ("delete", "configmap" or "lease"):
                foreach (var name in a.Skip(6).TakeWhile(n => !n.StartsWith("--", StringComparison.Ordinal)))
                    _objects.Remove(a[5] + "/" + name);
                result = Ok("");
                return true;
            case ("create" or "replace", "--filename") when c.StandardInput is { } manifest:
                result = Write(a[4], JsonNode.Parse(manifest)!.AsObject());
                return true;
            default:
                return false;
        }
    }

    private ToolResult Write(string verb, JsonObject o)
    {
        if (BeforeNextWrite is { } sneak) { BeforeNextWrite = null; sneak(); }
        if (RefuseNextWrite is { } refusal) { RefuseNextWrite = null; return Error(refusal); }
        var (key, name, resource) = (Key(o), o["metadata"]!["name"]!.GetValue<string>(), Resource(o));
        var existing = _objects.GetValueOrDefault(key);
        if (verb == "create" && existing is not null)
            return Error($"Error from server (AlreadyExists): error when creating \"STDIN\": {resource} \"{name}\" already exists");
        if (verb == "replace" && existing is null)
            return Error($"Error from server (NotFound): error when replacing \"STDIN\": {resource} \"{name}\" not found");
        if (verb == "replace" && o["metadata"]?["resourceVersion"]?.GetValue<string>() != existing!["metadata"]!["resourceVersion"]!.GetValue<string>())
            return Error($"Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
        o["metadata"]!["resourceVersion"] = NextVersion();
        o["metadata"]!["creationTimestamp"] = existing?["metadata"]?["creationTimestamp"]?.DeepClone() ?? "2026-05-13T10:00:00Z";
        _objects[key] = o;
        return Ok(o.ToJsonString());
    }

    private string NextVersion() => (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static string Key(JsonObject o) => o["kind"]!.GetValue<string>().ToLowerInvariant() + "/" + o["metadata"]!["name"]!.GetValue<string>();
    private static string Resource(JsonObject o) => o["kind"]!.GetValue<string>() == "Lease" ? "leases.coordination.k8s.io" : "configmaps";
    private static ToolResult Ok(string stdout) => new(0, stdout, "");
    private static ToolResult Error(string stderr) => new(1, "", stderr);
}
