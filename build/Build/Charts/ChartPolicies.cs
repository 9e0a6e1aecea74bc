using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Kubernetes;

namespace Pipeline.Charts;

/// <summary>
/// Policies checked on the RENDERED chart (what would reach the API server), each named for the outage it prevents.
/// The chart's own guards stop bad values; these stop a bad template edit that renders fine.
/// </summary>
public static partial class ChartPolicies
{
    public sealed record Violation(string Policy, string Object, string Message)
    {
        public override string ToString() => $"{Policy}: {Object}: {Message}";
    }

    public static IReadOnlyList<Violation> Check(string renderedYaml) => Check(ValuesYaml.ParseAll(renderedYaml));

    public static IReadOnlyList<Violation> Check(IReadOnlyList<JsonObject> objects)
    {
        var v = new List<Violation>();
        foreach (var o in objects)
        {
            var id = $"{Str(o, "kind")}/{Str(o["metadata"], "name")}";
            if (Str(o, "kind") == "Deployment") Deployment(o, id, v);
            if (PodSpec(o) is { } pod) Pod(pod, id, v);
            if (Str(o, "kind") == "Secret" && (o["data"] is JsonObject { Count: > 0 } || o["stringData"] is JsonObject { Count: > 0 }))
                v.Add(new("no-literal-secrets", id, "a Secret with literal data: its value is in the chart's values, helm's release record and CI logs"));
        }
        if (!objects.Any(o => Str(o, "kind") == "PodDisruptionBudget" && Str(o["spec"]?["selector"]?["matchLabels"], "track") == "stable"))
            v.Add(new("pdb-present", "PodDisruptionBudget", "none selects the stable track: a node drain may evict every pod at once"));
        if (!objects.Any(DefaultDeny))
            v.Add(new("network-deny-by-default", "NetworkPolicy", "no default-deny policy (Ingress and Egress, no rules) for the app's pods"));
        return v;
    }

    private static void Deployment(JsonObject d, string id, List<Violation> v)
    {
        var ru = d["spec"]?["strategy"]?["rollingUpdate"];
        if (Str(d["spec"]?["strategy"], "type") != "RollingUpdate" || Int(ru, "maxSurge") is not >= 1 || Int(ru, "maxUnavailable") is not 0)
            v.Add(new("surge-unavailable", id, "needs RollingUpdate with maxSurge ≥ 1 and maxUnavailable 0 (never below capacity during a rollout)"));
        var pod = d["spec"]?["template"]?["spec"];
        foreach (var c in Containers(pod))
        {
            var name = $"{id} container {Str(c, "name")}";
            var ready = Str(c["readinessProbe"]?["httpGet"], "path");
            var live = Str(c["livenessProbe"]?["httpGet"], "path");
            if (ready is null || live is null || c["startupProbe"] is null)
                v.Add(new("probes-present", name, "readiness, liveness and startup probes (httpGet) are all required"));
            else if (ready == live)
                v.Add(new("probes-distinct", name, $"liveness and readiness both on {live}: a database outage would restart every pod"));
            else if (live != "/healthz/live")
                v.Add(new("liveness-not-database", name, $"liveness on {live}: only /healthz/live never touches the database"));
            // preStop + the app's drain + its shutdown timeout must fit inside the grace period.
            var grace = Int(pod, "terminationGracePeriodSeconds") ?? 30;
            var preStop = Int(c["lifecycle"]?["preStop"]?["sleep"], "seconds") ?? 0;
            var drain = EnvInt(c, "ORDERS_DRAIN_DELAY_SECONDS") ?? 5;
            var shutdown = EnvInt(c, "ORDERS_SHUTDOWN_TIMEOUT_SECONDS") ?? 20;
            if (grace <= preStop + drain + shutdown)
                v.Add(new("grace-arithmetic", name, $"terminationGracePeriodSeconds {grace} ≤ preStop {preStop} + drain {drain} + shutdown {shutdown}: requests in flight are SIGKILLed"));
            if (c["resources"]?["requests"] is null || c["resources"]?["limits"]?["memory"] is null)
                v.Add(new("resources", name, "requests and a memory limit are required (an unbounded pod starves its node)"));
        }
    }

    private static void Pod(JsonNode pod, string id, List<Violation> v)
    {
        if (pod["automountServiceAccountToken"]?.GetValue<bool>() != false)
            v.Add(new("security-context", id, "automountServiceAccountToken must be false (no API access needed)"));
        var psc = pod["securityContext"];
        if (psc?["runAsNonRoot"]?.GetValue<bool>() != true || Str(psc?["seccompProfile"], "type") != "RuntimeDefault")
            v.Add(new("security-context", id, "pod needs runAsNonRoot: true and seccompProfile RuntimeDefault"));
        foreach (var c in Containers(pod))
        {
            var name = $"{id} container {Str(c, "name")}";
            var image = Str(c, "image") ?? "";
            if (!DigestImage().IsMatch(image))
                v.Add(new("digest-pinned", name, $"image '{image}' is not <repository>@sha256:<64 hex> (a tag can move under a running release)"));
            var sc = c["securityContext"];
            var drops = (sc?["capabilities"]?["drop"] as JsonArray)?.Select(x => x?.GetValue<string>()).ToList() ?? [];
            if (sc?["readOnlyRootFilesystem"]?.GetValue<bool>() != true || sc?["allowPrivilegeEscalation"]?.GetValue<bool>() != false
                || !drops.Contains("ALL") || (Int(sc, "runAsUser") ?? Int(pod["securityContext"], "runAsUser")) is null or 0)
                v.Add(new("security-context", name, "needs readOnlyRootFilesystem, allowPrivilegeEscalation: false, capabilities drop ALL and a non-zero runAsUser"));
            foreach (var e in (c["env"] as JsonArray ?? []).OfType<JsonObject>())
                if (Str(e, "name") is { } n && n.Contains("PASSWORD", StringComparison.Ordinal) && !n.EndsWith("_FILE", StringComparison.Ordinal) && e["value"] is not null)
                    v.Add(new("no-literal-secrets", name, $"env {n} carries a literal value: mount the password as a file from a Secret"));
        }
    }

    private static bool DefaultDeny(JsonObject o) =>
        Str(o, "kind") == "NetworkPolicy"
        && o["spec"]?["policyTypes"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "Ingress") && types.Any(t => t?.GetValue<string>() == "Egress")
        && o["spec"]?["ingress"] is null && o["spec"]?["egress"] is null;

    private static JsonNode? PodSpec(JsonObject o) => Str(o, "kind") switch
    {
        "Deployment" or "Job" => o["spec"]?["template"]?["spec"],
        "Pod" => o["spec"],
        _ => null,
    };

    private static IEnumerable<JsonNode> Containers(JsonNode? pod) => (pod?["containers"] as JsonArray ?? []).OfType<JsonNode>();

    private static int? EnvInt(JsonNode c, string name) =>
        (c["env"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(e => Str(e, "name") == name) is { } e && int.TryParse(Str(e, "value"), out var i) ? i : null;

    private static string? Str(JsonNode? n, string key) => n?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonNode? n, string key) => n?[key] is JsonValue v
        ? v.TryGetValue<long>(out var l) ? (int)l : v.TryGetValue<int>(out var i) ? i : null
        : null;

    [GeneratedRegex("^[^@:]+(:[0-9]+)?(/[^@:]+)*@sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestImage();
}
