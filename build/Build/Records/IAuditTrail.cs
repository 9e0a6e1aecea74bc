namespace Pipeline.Records;

/// <summary>
/// The environment's audit trail, wherever its target keeps it: a JSON-lines file in the state dir (single host,
/// <see cref="AuditTrail"/>) or objects in the cluster (Kubernetes: a runner's disk is gone after the job). The
/// queries a rollback and Up need work on any of them (<see cref="AuditQueries"/>).
/// </summary>
public interface IAuditTrail
{
    /// <summary>Where the entries live, for people: a file path, or the cluster objects' namespace and labels.</summary>
    string Where { get; }

    void Append(AuditEntry entry);

    /// <summary>Every entry, oldest first.</summary>
    IReadOnlyList<AuditEntry> Read();
}
