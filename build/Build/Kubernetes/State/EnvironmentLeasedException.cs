namespace Pipeline.Kubernetes.State;

/// <summary>Another live run holds the environment's lease: this verb changed nothing and says whom to wait for.</summary>
public sealed class EnvironmentLeasedException(string environment, KubeLease lease, string where)
    : InvalidOperationException($"Environment '{environment}' is locked by {lease.Holder} ({(lease.Verb is null ? "" : "verb " + lease.Verb + ", ")}"
        + $"Lease {where}, renewed {lease.RenewTime:u}, expires {lease.ExpiresAt:u} unless renewed). Two releases must never interleave; "
        + "wait for it to finish. A holder that dies stops renewing; once its lease has expired and then stayed unchanged for one more "
        + "lease duration (watched on the taker's own clock), the next run takes it over.")
{
    public KubeLease Lease { get; } = lease;
}
