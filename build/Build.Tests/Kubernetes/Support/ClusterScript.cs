using Pipeline.Tools;

namespace Pipeline.Tests.Kubernetes.Support;

/// <summary>
/// Stands in for the cluster's answers (no API server can run here): each helm/kubectl command is answered from a
/// script of recorded-shape outputs, and every command is kept, with the values file as it was when helm read it.
/// Only the answers are scripted — the argv, the parsing and the engine's decisions are the real code. The release
/// records (ConfigMaps, the Lease) are answered by <see cref="Objects"/>, an in-memory store that may be shared with
/// another script: the same cluster seen from another runner.
/// </summary>
public sealed class ClusterScript(ClusterObjects? objects = null) : IToolRunner
{
    public ClusterObjects Objects { get; } = objects ?? new ClusterObjects();

    private readonly List<ToolCommand> _history = [];
    private readonly Dictionary<string, Queue<ToolResult>> _answers = new(StringComparer.Ordinal);

    public bool DryRun => false;
    public IReadOnlyList<ToolCommand> History => _history;
    /// <summary>Each helm upgrade's values file content, in order.</summary>
    public List<string> AppliedValues { get; } = [];
    public bool Reachable { get; set; } = true;

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "Fixtures", name));

    /// <summary>Answers for commands whose text contains <paramref name="match"/>; the last answer repeats.</summary>
    public ClusterScript On(string match, params string[] outputs)
    {
        var q = _answers.TryGetValue(match, out var existing) ? existing : _answers[match] = new Queue<ToolResult>();
        foreach (var o in outputs) q.Enqueue(new ToolResult(0, o, ""));
        return this;
    }

    public ClusterScript Fail(string match, string stderr)
    {
        var q = _answers.TryGetValue(match, out var existing) ? existing : _answers[match] = new Queue<ToolResult>();
        q.Enqueue(new ToolResult(1, "", stderr));
        return this;
    }

    // The lease is renewed from a background thread while the verb's commands run.
    public ToolResult Run(ToolCommand command, bool allowFailure = false, TimeSpan? timeout = null)
    {
        lock (_history) return RunOne(command, allowFailure);
    }

    private ToolResult RunOne(ToolCommand command, bool allowFailure)
    {
        _history.Add(command);
        var text = command.ToString();
        ToolResult result;
        if (command.Tool == "kubectl" && command.Args.Contains("version"))
            result = Reachable ? new ToolResult(0, "{\"serverVersion\":{\"gitVersion\":\"v1.34.5\"}}", "") : new ToolResult(1, "", "The connection to the server localhost:8080 was refused - did you specify the right host or port?");
        else if (!Reachable && IsRecordCommand(command)) result = new ToolResult(1, "", "The connection to the server localhost:8080 was refused");
        else if (Objects.TryAnswer(command, out var record)) result = record;
        else
        {
            if (command.Tool == "helm" && command.Args[0] == "upgrade")
                AppliedValues.Add(File.ReadAllText(command.Args[command.Args.ToList().IndexOf("--values") + 1]));
            var key = _answers.Keys.Where(text.Contains).OrderByDescending(k => k.Length).FirstOrDefault();
            result = key is null ? new ToolResult(0, "", "")
                : _answers[key].Count > 1 ? _answers[key].Dequeue() : _answers[key].Peek();
        }
        if (result.ExitCode != 0 && !allowFailure) throw new ToolFailedException(command, result.ExitCode, result.StandardError);
        return result;
    }

    public int StartDetached(ToolCommand command, string logFile) => throw new NotSupportedException();
    public string? Find(string tool) => "/usr/bin/" + tool;

    public IEnumerable<string> Commands(string tool) => _history.Where(c => c.Tool == tool).Select(c => c.ToString());

    /// <summary>The commands that read or write the release records (ConfigMaps, the Lease).</summary>
    public IReadOnlyList<ToolCommand> RecordCommands() { lock (_history) return [.. _history.Where(IsRecordCommand)]; }

    public static bool IsRecordCommand(ToolCommand c) =>
        c.Tool == "kubectl" && c.Args.Count > 5 && (c.Args[5] is "configmap" or "configmaps" or "lease" || c.StandardInput is not null);
}
