using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Workflows;

/// <summary>
/// What every workflow must keep (pure checks over the YAML text, so each can be shown failing on a bad workflow):
/// actions pinned by commit SHA with a version comment, least permissions, no pipeline logic (each run is a
/// ./build.sh target), terraform's wrapper off, and deploying jobs in a per-environment concurrency group.
/// </summary>
public static partial class WorkflowRules
{
    /// <summary>The one shell step allowed besides ./build.sh: kind names its context kind-&lt;name&gt;, the environments call it dev.</summary>
    public static readonly IReadOnlySet<string> AllowedShell = new HashSet<string> { "kubectl config rename-context kind-dev dev" };

    public static IEnumerable<string> Violations(string name, string yaml)
    {
        foreach (Match m in Uses().Matches(yaml))
            if (!m.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal) && !PinnedUse().IsMatch(m.Value))
                yield return $"{name}: '{m.Value.Trim()}' is not pinned by a 40-hex commit SHA with a # vX.Y.Z comment";

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (!root.Children.TryGetValue("permissions", out var top) || top is not YamlMappingNode tp
            || tp.Children.Count != 1 || tp.Children.Single().Key.ToString() != "contents" || tp.Children.Single().Value.ToString() != "read")
            yield return $"{name}: top-level permissions must be exactly contents: read (jobs widen only what they need)";

        foreach (var (jobName, jobNode) in ((YamlMappingNode)root.Children["jobs"]).Children.Select(j => (j.Key.ToString(), (YamlMappingNode)j.Value)))
        {
            if (jobNode.Children.TryGetValue("permissions", out var p) && p is YamlScalarNode s && s.Value is "write-all" or "read-all")
                yield return $"{name}/{jobName}: permissions: {s.Value}";
            var deploys = jobNode.Children.ContainsKey("environment");
            if (deploys && (!jobNode.Children.TryGetValue("concurrency", out var c) || c is not YamlMappingNode cm
                || Get(cm, "group") != $"deploy-{jobNode.Children["environment"]}"
                || Get(cm, "cancel-in-progress") != "false"))
                yield return $"{name}/{jobName}: a job deploying to an environment needs concurrency group deploy-<env> with cancel-in-progress: false";
            foreach (var step in ((YamlSequenceNode)jobNode.Children["steps"]).Children.Cast<YamlMappingNode>())
            {
                if (step.Children.TryGetValue("uses", out var u) && u.ToString().StartsWith("hashicorp/setup-terraform@", StringComparison.Ordinal)
                    && Get(step.Children.TryGetValue("with", out var with) ? with as YamlMappingNode : null, "terraform_wrapper") != "false")
                    yield return $"{name}/{jobName}: setup-terraform without terraform_wrapper: false hides plan's exit code 2";
                if (!step.Children.TryGetValue("run", out var run)) continue;
                foreach (var line in run.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                    if (!BuildShLine().IsMatch(line) && !AllowedShell.Contains(line))
                        yield return $"{name}/{jobName}: '{line}' is pipeline logic in YAML (call a ./build.sh target)";
            }
        }
    }

    private static string? Get(YamlMappingNode? m, string key) => m is not null && m.Children.TryGetValue(key, out var v) ? v.ToString() : null;

    [GeneratedRegex(@"uses:\s*(?<ref>\S+)[^\n]*")] private static partial Regex Uses();
    [GeneratedRegex(@"uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\s*$")] private static partial Regex PinnedUse();
    [GeneratedRegex(@"^(sudo --preserve-env=[A-Z_,]+ )?\./build\.sh --target=\w+( --[\w-]+=[\w.-]+)*$")] private static partial Regex BuildShLine();
}
