namespace Pipeline.Kubernetes.State;

/// <summary>
/// Who holds the lease, as a person reads it in the error of the run that waits: the actor and the run — the
/// GitHub Actions run id on a runner (so the blocked run can link to it), the host and pid everywhere.
/// </summary>
public static class LeaseHolderIdentity
{
    public static string For(string actor, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var run = env("GITHUB_RUN_ID") is { Length: > 0 } id ? $"GitHub Actions run {id} on {Environment.MachineName}" : Environment.MachineName;
        return $"{actor} ({run}, pid {Environment.ProcessId})";
    }
}
