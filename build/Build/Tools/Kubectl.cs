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

    /// <summary>Sets the Gateway API HTTPRoute's stable/canary weights with a JSON merge patch.</summary>
    public static ToolCommand PatchRouteWeights(string kubeContext, string @namespace, string route, string stableService, string canaryService, int canaryPercent, int port) =>
        Command(kubeContext, @namespace, "patch", "httproute/" + route, "--type", "merge", "--patch",
            $"{{\"spec\":{{\"rules\":[{{\"backendRefs\":[{{\"name\":\"{stableService}\",\"port\":{port},\"weight\":{100 - canaryPercent}}},{{\"name\":\"{canaryService}\",\"port\":{port},\"weight\":{canaryPercent}}}]}}]}}}}");
}
