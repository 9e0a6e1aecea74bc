namespace Pipeline.Tools;

/// <summary>argv for the throwaway e2e cluster's platform and for `helm test` (the release's own smoke test on a cluster).</summary>
public static class ClusterCommands
{
    /// <summary>helm upgrade --install of a pinned chart from a repository (or an oci:// registry), waiting until it is ready.</summary>
    public static ToolCommand InstallChart(string kubeContext, string release, string @namespace, string repository, string chart, string version,
        IEnumerable<string> setValues, TimeSpan timeout)
    {
        var reference = repository.StartsWith("oci://", StringComparison.Ordinal) ? $"{repository}/{chart}" : chart;
        var repo = repository.StartsWith("oci://", StringComparison.Ordinal) ? Array.Empty<string>() : ["--repo", repository];
        return new ToolCommand("helm", ["upgrade", "--install", release, reference, .. repo, "--version", version,
            "--kube-context", kubeContext, "--namespace", @namespace, "--create-namespace", "--wait=watcher", "--timeout", $"{(int)timeout.TotalSeconds}s",
            .. setValues.SelectMany(v => new[] { "--set", v })]);
    }

    /// <summary>kubectl apply --server-side of a manifest file (the Gateway and the PostgreSQL cluster of the e2e platform).</summary>
    public static ToolCommand Apply(string kubeContext, string manifestFile) =>
        new("kubectl", "--context", kubeContext, "apply", "--server-side", "--filename", manifestFile);

    /// <summary>Waits for a condition on an object (the PostgreSQL cluster Ready before the release migrates).</summary>
    public static ToolCommand WaitFor(string kubeContext, string @namespace, string what, string condition, TimeSpan timeout) =>
        new("kubectl", "--context", kubeContext, "--namespace", @namespace, "wait", what, $"--for={condition}", $"--timeout={(int)timeout.TotalSeconds}s");

    /// <summary>helm test: the chart's test pods against the live release; --logs puts their output in the run log.</summary>
    public static ToolCommand HelmTest(string kubeContext, string release, string @namespace, TimeSpan timeout) =>
        new("helm", "test", release, "--kube-context", kubeContext, "--namespace", @namespace, "--timeout", $"{(int)timeout.TotalSeconds}s", "--logs");
}
