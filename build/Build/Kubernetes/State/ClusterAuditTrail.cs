using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cake.Core.Diagnostics;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// The audit trail in the release's namespace, one immutable ConfigMap per entry, labelled for listing.
/// Why one object per entry rather than one ConfigMap of JSON lines: an append is a single create — it never
/// conflicts with another writer (ApproveDeploy audits a window override before any lock is taken) and needs no
/// read-modify-write; immutable objects cannot be edited in place; each object holds one entry (a few KB, far
/// below the 1 MiB ConfigMap limit), so nothing has to be cut from the trail to make room. The cost is one
/// object per entry (a few per release) listed whole on every read — bounded by the retention
/// (<c>kubernetes.auditRetention</c>): after each append the oldest entries beyond it are deleted, except the
/// newest successful release of each digest, which Rollback and CurrentRelease may still need.
/// </summary>
public sealed class ClusterAuditTrail(KubeCluster cluster, RecordNames names) : IAuditTrail
{
    /// <summary>What one entry may take: a ConfigMap's data is limited to 1 MiB, and the metadata needs a little of it.</summary>
    public const int MaxEntryBytes = 1_000_000;

    /// <summary>Names per kubectl delete: a first prune after a long time without one stays within any argv limit.</summary>
    public const int DeleteBatch = 50;

    private KubernetesSettings K => cluster.Settings;

    public string Where => $"ConfigMaps labelled {names.Selector("audit")} (namespace {K.Namespace}, context {K.Context})";

    /// <summary>A create, never a replace: the entry's ConfigMap is immutable, the trail append-only; then the retention.</summary>
    public void Append(AuditEntry entry)
    {
        cluster.Run(Kubectl.Create(K.Context, K.Namespace, ObjectFor(names, entry).ToJson(K.Namespace, names.Labels("audit"), immutable: true)));
        Prune();
    }

    /// <summary>Every entry, oldest first (by the entry's own time; the name breaks ties).</summary>
    public IReadOnlyList<AuditEntry> Read() => [.. Listed().Select(x => x.Entry)];

    /// <summary>
    /// Deletes the oldest entries beyond <see cref="KubernetesSettings.AuditRetention"/>, never the newest successful
    /// promote/rollback/up of each digest (so CurrentRelease and PreviousSuccessfulRelease answer as before). Returns
    /// the names deleted. A refused delete (RBAC, admission) is a warning: the entry itself was written.
    /// </summary>
    public IReadOnlyList<string> Prune()
    {
        var listed = Listed();
        var excess = listed.Count - K.AuditRetention;
        if (excess <= 0) return [];
        var kept = listed.Where(x => AuditQueries.IsRelease(x.Entry)).GroupBy(x => x.Entry.ImageDigest).Select(g => g.Last().Name).ToHashSet(StringComparer.Ordinal);
        var doomed = listed.Where(x => !kept.Contains(x.Name)).Take(excess).Select(x => x.Name).ToList();
        var deleted = new List<string>();
        foreach (var batch in doomed.Chunk(DeleteBatch))
        {
            var result = cluster.TryRun(Kubectl.Delete(K.Context, K.Namespace, "configmap", batch));
            if (result.ExitCode != 0)
            {
                cluster.Session.Log.Warning("Could not prune the audit trail {0} to its newest {1} entries (the entry itself was written): {2}",
                    Where, K.AuditRetention, result.StandardError.Trim());
                break;
            }
            deleted.AddRange(batch);
        }
        if (deleted.Count > 0) cluster.Session.Log.Verbose("Pruned {0} audit entries older than the newest {1}: {2} … {3}", deleted.Count, K.AuditRetention, deleted[0], deleted[^1]);
        return deleted;
    }

    private List<(string Name, AuditEntry Entry)> Listed() =>
        [.. KubeConfigMap.ParseList(cluster.Run(Kubectl.GetBySelector(K.Context, K.Namespace, "configmaps", names.Selector("audit"))))
            .Select(m => (m.Name, Entry: EntryOf(m)))
            .OrderBy(x => x.Entry.At).ThenBy(x => x.Name, StringComparer.Ordinal)];

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
