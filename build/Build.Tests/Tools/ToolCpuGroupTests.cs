using System.Diagnostics;
using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

public sealed class ToolCpuGroupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cgroup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void On_cgroup_v1_the_group_and_conmons_get_the_smallest_cpu_shares()
    {
        Write("cpu/cpu.shares", "1024");
        var group = ToolCpuGroup.Prepare(_root, out var why);
        Assert.Equal(Path.Combine(_root, "cpu", ToolCpuGroup.Name, "cgroup.procs"), group!.ProcsFile);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_root, "cpu", ToolCpuGroup.Name, "cpu.shares")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(_root, "cpu", "libpod_parent", "conmon", "cpu.shares")));
        Assert.Contains("cpu.shares 2", why, StringComparison.Ordinal);
    }

    [Fact]
    public void On_cgroup_v2_they_get_the_smallest_cpu_weight()
    {
        Write("cgroup.controllers", "cpuset cpu io memory pids\n");
        Write("cgroup.subtree_control", "cpu memory pids\n");
        var group = ToolCpuGroup.Prepare(_root, out _);
        Assert.Equal(Path.Combine(_root, ToolCpuGroup.Name, "cgroup.procs"), group!.ProcsFile);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_root, ToolCpuGroup.Name, "cpu.weight")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(_root, "libpod_parent", "conmon", "cpu.weight")));
    }

    // v2 with cpu not delegated below libpod_parent: conmon's group has no cpu.weight to write, podman's still does.
    [Fact]
    public void When_conmons_group_cannot_be_weighted_podmans_still_is()
    {
        Write("cgroup.controllers", "cpu memory\n");
        Write("cgroup.subtree_control", "cpu memory\n");
        Write("libpod_parent/conmon/cpu.weight/blocker", "a directory where the file should be");
        var group = ToolCpuGroup.Prepare(_root, out var why);
        Assert.Equal(Path.Combine(_root, ToolCpuGroup.Name, "cgroup.procs"), group!.ProcsFile);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_root, ToolCpuGroup.Name, "cpu.weight")));
        Assert.Contains("conmon at the default weight", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_usable_cpu_controller_there_is_no_group_and_the_reason_is_given()
    {
        Write("cgroup.controllers", "cpuset cpu io memory pids\n");
        Write("cgroup.subtree_control", "memory pids\n");
        Assert.Null(ToolCpuGroup.Prepare(_root, out var why));
        Assert.Contains("no cgroup cpu controller", why, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, ToolCpuGroup.Name)));
    }

    [Fact]
    public void The_wrapper_moves_the_shell_into_the_group_then_execs_the_tool_with_its_argv()
    {
        var group = new ToolCpuGroup("/sys/fs/cgroup/cpu/orders-release-tools/cgroup.procs");
        Assert.Equal(["-c", "echo $$ > \"$0\" 2>/dev/null; exec \"$@\"", "/sys/fs/cgroup/cpu/orders-release-tools/cgroup.procs", "/usr/bin/podman", "ps", "--all"],
            group.Wrap("/usr/bin/podman", new ToolCommand("podman", "ps", "--all")));
    }

    [Fact]
    public void Only_podman_goes_through_the_group()
    {
        var runner = new ToolRunner(CakeContextFactory.Create(), dryRun: false) { Background = new ToolCpuGroup("/g/cgroup.procs") };
        Assert.Equal("/bin/sh", runner.Launch("/usr/bin/podman", Podman.ListAll()).Executable);
        var haproxy = runner.Launch("/usr/bin/haproxy", new ToolCommand("haproxy", "-c"));
        Assert.Equal("/usr/bin/haproxy", haproxy.Executable);
        Assert.Equal(["-c"], haproxy.Args);
        Assert.Equal("/usr/bin/podman", new ToolRunner(CakeContextFactory.Create(), dryRun: false).Launch("/usr/bin/podman", Podman.ListAll()).Executable);
    }
}

/// <summary>The group on this host's kernel: a process started through the wrapper is in it.</summary>
[Trait("Category", "Integration")]
public sealed class ToolCpuGroupHostTests
{
    // Through the runner, for real: the wrapper writes its pid where the group's procs file is (a plain file here)
    // and the tool's own output and exit code come back unchanged. An integration test because it needs podman
    // installed: a fresh machine runs the unit suite before Prerequisites installs it (CI of feeb0ed).
    [Fact]
    public void A_wrapped_podman_command_runs_and_answers_as_itself()
    {
        var dir = Directory.CreateTempSubdirectory("cgroup-").FullName;
        try
        {
            var procs = Path.Combine(dir, "cgroup.procs");
            File.WriteAllText(procs, "");
            var runner = new ToolRunner(CakeContextFactory.Create(), dryRun: false) { Background = new ToolCpuGroup(procs) };
            var result = runner.Run(new ToolCommand("podman", "--version"));
            Assert.StartsWith("podman version ", result.StandardOutput, StringComparison.Ordinal);
            Assert.True(int.TryParse(File.ReadAllText(procs).Trim(), out _), $"the wrapper wrote no pid: '{File.ReadAllText(procs)}'");
            Assert.Equal(125, runner.Run(new ToolCommand("podman", "no-such-command"), allowFailure: true).ExitCode);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_wrapped_process_runs_inside_the_low_weight_group()
    {
        var group = ToolCpuGroup.Prepare("/sys/fs/cgroup", out var why);
        Assert.True(group is not null, why);
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        foreach (var a in group!.Wrap("/bin/cat", new ToolCommand("cat", "/proc/self/cgroup"))) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var cgroups = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Contains(cgroups.Split('\n'), l => l.Contains(":cpu", StringComparison.Ordinal) && l.EndsWith("/" + ToolCpuGroup.Name, StringComparison.Ordinal));
    }
}
