using Pipeline.Tools;

namespace Pipeline.Drill.Phases;

/// <summary>The drill's own external commands (argv as data; the runner executes them).</summary>
public static class DrillCommands
{
    /// <summary>One line per container: name, full id, restart count — "no container restarted" is judged on these.</summary>
    public static ToolCommand Identities(params string[] names) =>
        Podman.Command(["inspect", "--format", "{{.Name}} {{.Id}} {{.RestartCount}}", .. names]);

    /// <summary>SIGKILL, mid-request: what an OOM kill or a node crash does (no drain, no shutdown hook).</summary>
    public static ToolCommand Kill(string name) => Podman.Command("kill", "--signal", "KILL", name);
}
