using System.Text;

namespace Pipeline.Host;

/// <summary>Renders a target's dependency tree for <c>--tree</c>.</summary>
public static class TaskTree
{
    public static string Render(IReadOnlyList<TaskInfo> tasks, string target)
    {
        var byName = tasks.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        if (!byName.TryGetValue(target, out var root))
            throw new ArgumentException($"The target '{target}' was not found.");
        var sb = new StringBuilder();
        void Walk(TaskInfo t, string indent, bool last, bool top)
        {
            sb.Append(indent).Append(top ? "" : last ? "└── " : "├── ").AppendLine(t.Name);
            var childIndent = top ? "" : indent + (last ? "    " : "│   ");
            for (var i = 0; i < t.Dependencies.Count; i++)
                Walk(byName[t.Dependencies[i]], childIndent, i == t.Dependencies.Count - 1, false);
        }
        Walk(root, "", true, true);
        return sb.ToString().TrimEnd();
    }
}
