using Cake.Core.Diagnostics;
using System.Diagnostics;
using System.Text;
using Pipeline.Tools;

namespace Pipeline.Kubernetes;

/// <summary>Pods of a track never became ready: the message carries their state, events and last log lines.</summary>
public sealed class PodsNotReadyException(string message) : Exception(message);

/// <summary>
/// Waits for a track's pods to run a digest and be Ready, by polling <c>kubectl get pods -l … -o json</c> every two
/// seconds. Not <c>helm --wait</c>: helm's watcher can only time out, while a release that fails must say why
/// (ImagePullBackOff, CrashLoopBackOff, a readiness probe that never passes, an unschedulable pod) — so on failure
/// it collects each stuck pod's events and its container's last log lines (the crashed instance's, after a
/// restart). Hopeless states (image pull errors, a crash loop past three restarts) fail at once instead of waiting
/// out the timeout. Polling rather than a watch (KubernetesClient): every look is one argv through the one runner,
/// visible in --dryrun and in the run record, and a two-second poll is far below the minutes a rollout takes.
/// </summary>
public sealed class PodReadiness(KubeCluster cluster, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
    private KubernetesSettings K => cluster.Settings;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public async Task AwaitAsync(string track, string digest, int count, TimeSpan timeout, CancellationToken ct = default)
    {
        if (cluster.DryRun)
        {
            // Show the command the poll would run; there is nothing to wait for.
            cluster.Session.Runner.Run(Kubectl.GetPods(K.Context, K.Namespace, K.Selector(track)));
            cluster.Session.Log.Information("[dry-run] would poll until {0} {1} pod(s) run {2} and are Ready (at most {3:0} s).", count, track, digest, timeout.TotalSeconds);
            return;
        }
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var pods = cluster.Pods(track).Where(p => !p.Terminating).ToList();
            var current = pods.Where(p => Runs(p, digest)).ToList();
            var others = pods.Count - current.Count;
            if (current.Count(p => p.Ready) >= count && others == 0)
            {
                cluster.Session.Event("ready", $"{track} ×{count}", $"{digest[..Math.Min(19, digest.Length)]}… after {sw.Elapsed.TotalSeconds:0} s");
                return;
            }
            var hopeless = current.Where(Hopeless).ToList();
            if (hopeless.Count > 0 || sw.Elapsed > timeout)
                throw new PodsNotReadyException(Diagnose(track, digest, count, current, others, hopeless.Count > 0 ? "cannot start" : $"not ready after {timeout.TotalSeconds:0} s"));
            await _delay(PollInterval, ct);
        }
    }

    private static bool Runs(PodStatus p, string digest) => p.SpecImage.EndsWith("@" + digest, StringComparison.Ordinal);

    /// <summary>States no amount of waiting fixes.</summary>
    public static bool Hopeless(PodStatus p) => p.WaitingReason switch
    {
        "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName" or "CreateContainerConfigError" or "CreateContainerError" => true,
        "CrashLoopBackOff" => p.Restarts >= 3,
        _ => false,
    };

    private string Diagnose(string track, string digest, int count, IReadOnlyList<PodStatus> pods, int others, string what)
    {
        var sb = new StringBuilder($"{track} track of {K.ReleaseName} ({digest}): {pods.Count(p => p.Ready)}/{count} pod(s) ready, {what}.");
        if (others > 0) sb.Append($" {others} pod(s) of another digest still run in this track.");
        foreach (var pod in pods.Where(p => !p.Ready).Take(3))
        {
            sb.Append("\n  pod ").Append(pod);
            var events = cluster.TryRun(Kubectl.GetEvents(K.Context, K.Namespace, pod.Name));
            foreach (var e in (events.ExitCode == 0 ? KubeJson.ParseEvents(events.StandardOutput) : []).TakeLast(8))
                sb.Append("\n    event: ").Append(e);
            var logs = cluster.TryRun(Kubectl.Logs(K.Context, K.Namespace, pod.Name, pod.Container, 20, previous: pod.Restarts > 0));
            var lines = (logs.ExitCode == 0 ? logs.StandardOutput : logs.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20).ToList();
            sb.Append(pod.Restarts > 0 ? "\n    last log lines (previous container):" : "\n    last log lines:");
            if (lines.Count == 0) sb.Append(" (none)");
            foreach (var l in lines) sb.Append("\n      ").Append(l);
        }
        return sb.ToString();
    }
}
