using System.Globalization;

namespace Pipeline.Tools;

/// <summary>
/// A CPU cgroup with the kernel's smallest weight for the pipeline's own container commands (every podman process,
/// and conmon with the `podman container cleanup` it runs at each exit). WHY: each podman process costs ~0.15–0.4
/// CPU-s on this 2-core host, and at its default weight a start or an exit took both cores from the instances
/// serving users for ~0.25 s — the release drill's cutover p99 stalls (perf, 12-07: podman 6.9 CPU-s of a 17 s
/// rolling phase). At weight 2 against the serving instances' 1024 it gets what serving leaves idle; it still runs
/// at full speed on an idle host. Drill 12-07, same code otherwise: slow requests (&gt; 15 ms) per exit 27–28 → 12–14,
/// blue-green cutover p99 40.1 → 28.2 ms. Its price is release time on a busy host: blue-green 6.7 → 7.7 s (strategy
/// benchmark); at weight 64 it was 6.7 s again but the drill's blue-green p99 went back to 40.4 ms, so 2 it is —
/// a second of deploy time against a p99 spike on users. The same idea as a systemd slice or the kubelet's system-reserved:
/// the deploy tooling must not compete with the service it deploys.
/// Best effort: where the cgroup cannot be made (no cgroup fs, not root), commands run as before and
/// <see cref="Prepare"/> says why.
/// </summary>
public sealed record ToolCpuGroup(string ProcsFile)
{
    public const string Name = "orders-release-tools";

    /// <summary>cgroup v1 cpu.shares' minimum; cgroup v2 cpu.weight's minimum is 1.</summary>
    public const int SharesV1 = 2;
    public const int WeightV2 = 1;

    /// <summary>Where podman's cgroupfs manager puts conmon (relative to the cpu hierarchy).</summary>
    public static readonly string ConmonGroup = Path.Combine("libpod_parent", "conmon");

    /// <summary>
    /// Makes (or reuses) the group under <paramref name="cgroupRoot"/> — v1's cpu hierarchy or the v2 unified one —
    /// with the smallest weight, and gives conmon's group the same weight. Null, with the reason in
    /// <paramref name="why"/>, when that is not possible here.
    /// </summary>
    public static ToolCpuGroup? Prepare(string cgroupRoot, out string why)
    {
        try
        {
            var v1 = Path.Combine(cgroupRoot, "cpu");
            var (hierarchy, file, value) = File.Exists(Path.Combine(v1, "cpu.shares")) ? (v1, "cpu.shares", SharesV1)
                : File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers")) && File.ReadAllText(Path.Combine(cgroupRoot, "cgroup.subtree_control")).Split(' ', '\n').Contains("cpu")
                    ? (cgroupRoot, "cpu.weight", WeightV2)
                    : (null, null, 0);
            if (hierarchy is null || file is null)
            {
                why = $"no cgroup cpu controller to use under {cgroupRoot} (v1 cpu hierarchy, or v2 with cpu in cgroup.subtree_control)";
                return null;
            }
            var group = Path.Combine(hierarchy, Name);
            Directory.CreateDirectory(group);
            File.WriteAllText(Path.Combine(group, file), value.ToString(CultureInfo.InvariantCulture));
            // conmon's group on its own: where it cannot be weighted (v2 without cpu delegated to libpod_parent),
            // podman's own processes still are.
            var conmon = Path.Combine(hierarchy, ConmonGroup);
            try
            {
                Directory.CreateDirectory(conmon);
                File.WriteAllText(Path.Combine(conmon, file), value.ToString(CultureInfo.InvariantCulture));
                why = $"podman and conmon run at CPU {file} {value} ({group}, {conmon})";
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                why = $"podman runs at CPU {file} {value} ({group}); conmon at the default weight ({conmon}: {e.Message})";
            }
            return new ToolCpuGroup(Path.Combine(group, "cgroup.procs"));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            why = $"the tools' CPU group could not be made under {cgroupRoot}: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// The argv that runs <paramref name="command"/> (at <paramref name="path"/>) inside the group: a shell that moves
    /// itself there and execs the tool, so the tool and every child it forks start in the group. Should the move
    /// fail, the tool still runs (at the default weight).
    /// </summary>
    public IReadOnlyList<string> Wrap(string path, ToolCommand command) =>
        ["-c", "echo $$ > \"$0\" 2>/dev/null; exec \"$@\"", ProcsFile, path, .. command.Args];
}
