namespace Pipeline.Tools;

/// <summary>argv for kubectl (pinned: <see cref="ToolProvisioning.KubectlVersion"/>), always with an explicit context and namespace.</summary>
public static class Kubectl
{
    public static ToolCommand Version() => new("kubectl", "version", "--client", "--output", "json");

    private static ToolCommand Command(string kubeContext, string @namespace, params string[] args) =>
        new("kubectl", ["--context", kubeContext, "--namespace", @namespace, .. args]);

    public static ToolCommand RolloutStatus(string kubeContext, string @namespace, string deployment, TimeSpan timeout) =>
        Command(kubeContext, @namespace, "rollout", "status", "deployment/" + deployment, "--timeout", $"{(int)timeout.TotalSeconds}s");

    public static ToolCommand GetJson(string kubeContext, string @namespace, string kind, string name) =>
        Command(kubeContext, @namespace, "get", kind, name, "--output", "json");

    /// <summary>Server-side diff; exit code 1 means "differs" (callers pass allowFailure and read the exit code).</summary>
    public static ToolCommand Diff(string kubeContext, string @namespace, string manifestFile) =>
        Command(kubeContext, @namespace, "diff", "--server-side", "--filename", manifestFile);

    /// <summary>Is an API server reachable under this context? (server version; a short timeout so "no cluster" is quick and clear.)</summary>
    public static ToolCommand ServerVersion(string kubeContext) =>
        new("kubectl", "--context", kubeContext, "--request-timeout", "10s", "version", "--output", "json");

    /// <summary>The pods of one track of the release, as JSON (readiness, image digests, waiting reasons).</summary>
    public static ToolCommand GetPods(string kubeContext, string @namespace, string selector) =>
        Command(kubeContext, @namespace, "get", "pods", "--selector", selector, "--output", "json");

    /// <summary>Events about one object (a pod that never became ready: FailedScheduling, ErrImagePull, Unhealthy, …).</summary>
    public static ToolCommand GetEvents(string kubeContext, string @namespace, string involvedObjectName) =>
        Command(kubeContext, @namespace, "get", "events", "--field-selector", "involvedObject.name=" + involvedObjectName, "--output", "json");

    /// <summary>The last lines a container wrote (<paramref name="previous"/>: of its crashed instance, after a restart).</summary>
    public static ToolCommand Logs(string kubeContext, string @namespace, string pod, string container, int tail, bool previous) =>
        Command(kubeContext, @namespace, ["logs", pod, "--container", container, "--tail", tail.ToString(System.Globalization.CultureInfo.InvariantCulture), .. previous ? new[] { "--previous" } : []]);

    // The release records (release.json, the audit trail, the lock) as cluster objects: read, created and replaced
    // whole, JSON on stdin (no temp file to leak or clean up), the server's answer on stdout.

    /// <summary>One object as JSON, or empty output and exit 0 when it does not exist: absence is an answer, not an error.</summary>
    public static ToolCommand GetIfExists(string kubeContext, string @namespace, string kind, string name) =>
        Command(kubeContext, @namespace, "get", kind, name, "--ignore-not-found", "--output", "json");

    /// <summary>Every object of <paramref name="kind"/> carrying the labels of <paramref name="selector"/>, as one List.</summary>
    public static ToolCommand GetBySelector(string kubeContext, string @namespace, string kind, string selector) =>
        Command(kubeContext, @namespace, "get", kind, "--selector", selector, "--output", "json");

    /// <summary>Creates the object on stdin; an object of that name already there is an error (AlreadyExists), never overwritten.</summary>
    public static ToolCommand Create(string kubeContext, string @namespace, string manifestJson) =>
        Command(kubeContext, @namespace, "create", "--filename", "-", "--output", "json") with { StandardInput = manifestJson };

    /// <summary>
    /// Replaces the object with the one on stdin. Its metadata.resourceVersion is the version this run read: if anyone
    /// wrote the object since, the API server refuses (Conflict) — optimistic concurrency, never a silent overwrite.
    /// </summary>
    public static ToolCommand Replace(string kubeContext, string @namespace, string manifestJson) =>
        Command(kubeContext, @namespace, "replace", "--filename", "-", "--output", "json") with { StandardInput = manifestJson };

    /// <summary>
    /// Deletes the named objects of one kind (the audit trail's retention prunes its oldest entries). One already gone
    /// is no error — another run may be pruning the same entries — and --wait=false returns without watching them go.
    /// </summary>
    public static ToolCommand Delete(string kubeContext, string @namespace, string kind, IEnumerable<string> names) =>
        Command(kubeContext, @namespace, ["delete", kind, .. names, "--ignore-not-found", "--wait=false"]);
}
