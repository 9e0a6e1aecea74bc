using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// A coordination.k8s.io/v1 Lease as the environment lock uses it. <paramref name="Holder"/> null: released (the
/// object stays, so the next taker replaces it at a known resourceVersion). The verb rides in an annotation.
/// </summary>
public sealed record KubeLease(string Name, string? Holder, int DurationSeconds, DateTimeOffset? AcquireTime, DateTimeOffset? RenewTime,
    int Transitions, string? Verb = null, string? ResourceVersion = null)
{
    /// <summary>When a holder that stopped renewing loses its claim: renewTime + leaseDurationSeconds.</summary>
    public DateTimeOffset? ExpiresAt => RenewTime?.AddSeconds(DurationSeconds);

    /// <summary>Someone holds it and renewed it within its duration (a crashed holder's lease simply runs out).</summary>
    public bool IsHeldAt(DateTimeOffset now) => Holder is { Length: > 0 } && ExpiresAt > now;

    public string ToJson(string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        var metadata = new JsonObject { ["name"] = Name, ["namespace"] = @namespace, ["labels"] = KubeObjectJson.Map(labels) };
        if (Verb is not null) metadata["annotations"] = new JsonObject { [RecordNames.VerbAnnotation] = Verb };
        if (ResourceVersion is not null) metadata["resourceVersion"] = ResourceVersion;
        var spec = new JsonObject();
        if (Holder is not null) spec["holderIdentity"] = Holder;
        spec["leaseDurationSeconds"] = DurationSeconds;
        if (AcquireTime is { } a) spec["acquireTime"] = MicroTime(a);
        if (RenewTime is { } r) spec["renewTime"] = MicroTime(r);
        spec["leaseTransitions"] = Transitions;
        return new JsonObject { ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease", ["metadata"] = metadata, ["spec"] = spec }.ToJsonString();
    }

    /// <summary>`kubectl get lease NAME --ignore-not-found -o json` (or create/replace -o json); null when absent.</summary>
    public static KubeLease? Parse(string json)
    {
        if (KubeObjectJson.Single(json) is not { } o) return null;
        var spec = o["spec"] as JsonObject ?? [];
        return new KubeLease(KubeObjectJson.Name(o), spec["holderIdentity"]?.GetValue<string>() is { Length: > 0 } h ? h : null,
            spec["leaseDurationSeconds"]?.GetValue<int>() ?? 0, Time(spec["acquireTime"]), Time(spec["renewTime"]),
            spec["leaseTransitions"]?.GetValue<int>() ?? 0, KubeObjectJson.Annotation(o, RecordNames.VerbAnnotation), KubeObjectJson.ResourceVersion(o));
    }

    /// <summary>The API's MicroTime: RFC 3339 in UTC with exactly six fractional digits (anything else is refused).</summary>
    public static string MicroTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(JsonNode? node) => node?.GetValue<string>() is { Length: > 0 } s
        ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
