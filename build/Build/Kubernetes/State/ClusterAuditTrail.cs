using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// The audit trail in the release's namespace, one immutable ConfigMap per entry, labelled for listing.
/// Why one object per entry rather than one ConfigMap of JSON lines: an append is a single create — it never
/// conflicts with another writer (ApproveDeploy audits a window override before any lock is taken) and needs no
/// read-modify-write; immutable objects cannot be edited in place; each object holds one entry (a few KB, far
/// below the 1 MiB ConfigMap limit), so nothing has to be cut from the trail to make room. The cost is one
/// object per entry (a few per release) listed whole on every read.
/// </summary>
public sealed class ClusterAuditTrail(KubeCluster cluster, RecordNames names) : IAuditTrail
{
    /// <summary>What one entry may take: a ConfigMap's data is limited to 1 MiB, and the metadata needs a little of it.</summary>
    public const int MaxEntryBytes = 1_000_000;

    private KubernetesSettings K => cluster.Settings;

    public string Where => $"ConfigMaps labelled {names.Selector("audit")} (namespace {K.Namespace}, context {K.Context})";

    /// <summary>A create, never a replace: the entry's ConfigMap is immutable, the trail append-only.</summary>
    public void Append(AuditEntry entry) =>
        cluster.Run(Kubectl.Create(K.Context, K.Namespace, ObjectFor(names, entry).ToJson(K.Namespace, names.Labels("audit"), immutable: true)));

    /// <summary>Every entry, oldest first (by the entry's own time; the name breaks ties).</summary>
    public IReadOnlyList<AuditEntry> Read() =>
        [.. KubeConfigMap.ParseList(cluster.Run(Kubectl.GetBySelector(K.Context, K.Namespace, "configmaps", names.Selector("audit"))))
            .Select(m => (m.Name, Entry: EntryOf(m)))
            .OrderBy(x => x.Entry.At).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Entry)];

    private static AuditEntry EntryOf(KubeConfigMap map) =>
        JsonSerializer.Deserialize<AuditEntry>(map.Data.GetValueOrDefault(RecordNames.AuditKey)
            ?? throw new InvalidDataException($"ConfigMap {map.Name} carries the audit labels but no {RecordNames.AuditKey}: not an entry the pipeline wrote."),
            AuditTrail.Compact)!;

    /// <summary>
    /// One entry's ConfigMap, named &lt;release&gt;-audit-&lt;UTC time to the ms&gt;-&lt;8 hex of the entry's SHA-256&gt;:
    /// sorted as written, unique without a random part (two entries of the same millisecond differ in their hash).
    /// </summary>
    public static KubeConfigMap ObjectFor(RecordNames names, AuditEntry entry)
    {
        var json = JsonSerializer.Serialize(entry, AuditTrail.Compact);
        var bytes = Encoding.UTF8.GetBytes(json);
        if (bytes.Length > MaxEntryBytes)
            throw new InvalidOperationException($"Audit entry '{entry.Action}' of {entry.At:u} is {bytes.Length} bytes, more than a ConfigMap can hold ({MaxEntryBytes}).");
        var name = $"{names.AuditPrefix}{entry.At.UtcDateTime:yyyyMMdd-HHmmss-fff}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..8]}";
        return new KubeConfigMap(name, new Dictionary<string, string> { [RecordNames.AuditKey] = json });
    }
}
