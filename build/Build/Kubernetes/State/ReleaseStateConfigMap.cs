using System.Text.Json;
using Pipeline.Records;
using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Kubernetes.State;

/// <summary>
/// release.json as the ConfigMap <c>&lt;release&gt;-release-state</c> (key release.json) in the release's namespace,
/// written with optimistic concurrency: a replace carries the resourceVersion this run last read (or wrote), a first
/// write is a create. Another run's write in between makes the API server refuse, and the verb stops with
/// <see cref="ReleaseRecordConflictException"/> instead of overwriting what that run declared.
/// </summary>
public sealed class ReleaseStateConfigMap(KubeCluster cluster, RecordNames names)
{
    private KubernetesSettings K => cluster.Settings;
    private string? _version; // resourceVersion of the last read or write; null: there was none when this run looked

    public string Where => $"ConfigMap {names.State} (namespace {K.Namespace}, context {K.Context})";

    public ReleaseState Load()
    {
        var map = KubeConfigMap.Parse(cluster.Run(Kubectl.GetIfExists(K.Context, K.Namespace, "configmap", names.State)));
        _version = map?.ResourceVersion;
        return map?.Data.GetValueOrDefault(RecordNames.StateKey) is { } json
            ? JsonSerializer.Deserialize<ReleaseState>(json, RunRecord.Json)! : ReleaseState.Empty;
    }

    public void Save(ReleaseState state)
    {
        var manifest = ObjectFor(names, state, _version).ToJson(K.Namespace, names.Labels("state"));
        var command = _version is null ? Kubectl.Create(K.Context, K.Namespace, manifest) : Kubectl.Replace(K.Context, K.Namespace, manifest);
        var result = cluster.TryRun(command);
        if (result.ExitCode != 0)
        {
            if (!ConcurrentChange.Refused(result.StandardError, names.State)) throw new ToolFailedException(command, result.ExitCode, result.StandardError);
            throw new ReleaseRecordConflictException(
                $"release.json in {Where} was changed by another run after this one read it "
                + (_version is null ? "(there was none when this run looked; now there is)" : $"(this run read resourceVersion {_version})")
                + ": nothing was overwritten. Another release verb ran without this environment's lock, or took it over after this run stopped renewing it; "
                + $"check `./build.sh --target=History --env={K.Environment}` and re-run.\nkubectl: {result.StandardError.Trim()}");
        }
        if (!cluster.DryRun) _version = KubeConfigMap.Parse(result.StandardOutput)?.ResourceVersion
            ?? throw new InvalidOperationException($"kubectl {command.Args[4]} printed no ConfigMap for {names.State}.");
    }

    /// <summary>release.json as the ConfigMap's one key, indented as on disk (readable with kubectl get -o yaml).</summary>
    public static KubeConfigMap ObjectFor(RecordNames names, ReleaseState state, string? resourceVersion = null) =>
        new(names.State, new Dictionary<string, string> { [RecordNames.StateKey] = JsonSerializer.Serialize(state, RunRecord.Json) }, resourceVersion);
}
