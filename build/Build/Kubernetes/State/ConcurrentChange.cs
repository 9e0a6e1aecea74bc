namespace Pipeline.Kubernetes.State;

/// <summary>
/// A record write the API server refused because another run changed the object after this run read it. Never
/// retried blindly: the verb stops, nothing is overwritten, and a re-run starts from what is there now.
/// </summary>
public sealed class ReleaseRecordConflictException(string message) : InvalidOperationException(message);

/// <summary>Reads kubectl's stderr for the API server's answers that mean "the object moved under you".</summary>
public static class ConcurrentChange
{
    /// <summary>
    /// Conflict (a stale resourceVersion on replace), AlreadyExists (created meanwhile), or the object itself NotFound on
    /// a replace (deleted meanwhile). A missing namespace is also NotFound, but names the namespace, not the object.
    /// </summary>
    public static bool Refused(string stderr, string objectName) =>
        stderr.Contains("(Conflict)", StringComparison.Ordinal) || stderr.Contains("(AlreadyExists)", StringComparison.Ordinal)
        || (stderr.Contains("(NotFound)", StringComparison.Ordinal) && stderr.Contains($"\"{objectName}\" not found", StringComparison.Ordinal));
}
