namespace Pipeline.Kubernetes.State;

/// <summary>
/// The names and labels of the release records in the release's namespace, derived from the Helm release so two
/// releases in one namespace never share them. The chart's admission policy protects the same names
/// (charts/orders/templates/validatingadmissionpolicy.yaml; CHART-CONTRACT.md).
/// </summary>
public sealed record RecordNames(string Release)
{
    /// <summary>The ConfigMap holding release.json.</summary>
    public string State => Release + "-release-state";

    /// <summary>Every audit entry is its own ConfigMap named with this prefix (see <see cref="ClusterAuditTrail"/>).</summary>
    public string AuditPrefix => Release + "-audit-";

    /// <summary>The environment lock: a coordination.k8s.io/v1 Lease.</summary>
    public string Lock => Release + "-release-lock";

    public const string StateKey = "release.json";
    public const string AuditKey = "entry.json";
    public const string RecordLabel = "orders-release/record";
    public const string ReleaseLabel = "orders-release/release";
    /// <summary>The annotation naming the verb a lease holder runs (a Lease has no field for it).</summary>
    public const string VerbAnnotation = "orders-release/verb";

    /// <summary>Labels of one kind of record ("state", "audit", "lock"): what the audit trail is listed by.</summary>
    public IReadOnlyDictionary<string, string> Labels(string record) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/managed-by"] = "orders-release-pipeline",
        [RecordLabel] = record,
        [ReleaseLabel] = Release,
    };

    public string Selector(string record) => $"{RecordLabel}={record},{ReleaseLabel}={Release}";
}
