using Pipeline.Release;
using Pipeline.Tools;

namespace Pipeline.Kubernetes;

/// <summary>No API server answers under the environment's context: nothing was changed.</summary>
public sealed class ClusterUnreachableException(KubernetesSettings k, string detail)
    : Exception($"No Kubernetes cluster reachable for environment '{k.Environment}' (kube context '{k.Context}', namespace '{k.Namespace}'): " +
                $"nothing was changed. Check KUBECONFIG and that context '{k.Context}' exists (kubectl config get-contexts).\n{detail}");

/// <summary>
/// helm/kubectl against the environment's cluster, through the one runner. The first real call checks that an API
/// server answers, so "no cluster" is one clear error before anything is attempted, not a helm stack trace later.
/// </summary>
public sealed class KubeCluster(ReleaseSession session, KubernetesSettings settings)
{
    private bool _reachable;

    public KubernetesSettings Settings => settings;
    public ReleaseSession Session => session;
    public bool DryRun => session.DryRun;

    public void EnsureReachable()
    {
        if (session.DryRun || _reachable) return;
        var r = session.Runner.Run(Kubectl.ServerVersion(settings.Context), allowFailure: true, timeout: TimeSpan.FromSeconds(30));
        if (r.ExitCode != 0) throw new ClusterUnreachableException(settings, Tail(r.StandardError.Length > 0 ? r.StandardError : r.StandardOutput));
        _reachable = true;
    }

    public string Run(ToolCommand command, TimeSpan? timeout = null)
    {
        EnsureReachable();
        return session.Runner.Run(command, timeout: timeout).StandardOutput;
    }

    /// <summary>Runs and returns the result whatever the exit code: for callers that read the API server's refusal.</summary>
    public ToolResult TryRun(ToolCommand command, TimeSpan? timeout = null)
    {
        EnsureReachable();
        return session.Runner.Run(command, allowFailure: true, timeout: timeout);
    }

    /// <summary>The pods of one track ("stable" / "canary"); empty in a dry run.</summary>
    public IReadOnlyList<PodStatus> Pods(string track) =>
        session.DryRun ? [] : KubeJson.ParsePods(Run(Kubectl.GetPods(settings.Context, settings.Namespace, settings.Selector(track))));

    private static string Tail(string text) => string.Join("\n", text.Split('\n').TakeLast(5));
}
