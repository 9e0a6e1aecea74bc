namespace Pipeline.Tools;

/// <summary>
/// argv for podman. Partial: container commands (single-host) and image commands (image tasks) live in
/// their own files. Every invocation carries the global flags this kind of machine needs.
/// </summary>
public static partial class Podman
{
    /// <summary>
    /// runc, not crun (crun fails on this host's hybrid cgroups); cgroupfs because there is no systemd.
    /// </summary>
    public static readonly IReadOnlyList<string> GlobalArgs = ["--runtime=runc", "--cgroup-manager=cgroupfs"];

    public static ToolCommand Command(params string[] args) => new("podman", [.. GlobalArgs, .. args]);
}
