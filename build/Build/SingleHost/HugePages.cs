using System.Globalization;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>The huge-page counters of /proc/meminfo (pages, and the page size in kB).</summary>
public sealed record HugePageCounts(int Total, int Free, int Reserved, int PageSizeKb, long MemTotalKb)
{
    /// <summary>Pages a new mapping can still get: free ones not promised to a mapping already made.</summary>
    public int Available => Free - Reserved;

    public static HugePageCounts? Parse(string meminfo)
    {
        var values = meminfo.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => long.TryParse(p[1].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1, StringComparer.Ordinal);
        long Get(string key) => values.TryGetValue(key, out var v) ? v : -1;
        var (total, free, reserved, size, mem) = (Get("HugePages_Total"), Get("HugePages_Free"), Get("HugePages_Rsvd"), Get("Hugepagesize"), Get("MemTotal"));
        return total < 0 || free < 0 || reserved < 0 || size <= 0 || mem <= 0 ? null : new HugePageCounts((int)total, (int)free, (int)reserved, (int)size, mem);
    }
}

/// <summary>
/// Huge pages for the environment's PostgreSQL, reserved on the host before the cluster starts (PostgreSQL's
/// default huge_pages=try then maps its shared memory with them). WHY: every instance start opens pooled
/// connections, each a new backend that faults in the shared memory it touches page by page; on this VM a page
/// fault is expensive, and with 4 kB pages a new backend cost ~33 ms of CPU, with 2 MB pages ~17 ms (20 sessions,
/// process accounting, 12-07) — the largest single consumer in the quarter-second after a `podman run` (perf).
/// Best effort and bounded: never more than a quarter of the host's memory; where the kernel will not give them,
/// PostgreSQL starts on normal pages as before. The pages stay reserved after Down (vm.nr_hugepages is the host's).
/// </summary>
public sealed class HugePages(SingleHostSession session)
{
    public const string MemInfo = "/proc/meminfo";

    /// <summary>The vm.nr_hugepages that gives a mapping of <paramref name="needed"/> pages room, or null (enough already, or over the bound).</summary>
    public static int? TotalFor(int needed, HugePageCounts counts)
    {
        if (needed <= 0 || counts.Available >= needed) return null;
        var total = counts.Total + needed - Math.Max(0, counts.Available);
        var bound = counts.MemTotalKb / 4 / counts.PageSizeKb;
        return total > bound ? null : total;
    }

    public static ToolCommand SetTotal(int pages) => new("sysctl", "-w", string.Create(CultureInfo.InvariantCulture, $"vm.nr_hugepages={pages}"));

    /// <summary>Before the stopped cluster starts: what was reserved, or nothing to say.</summary>
    public string? ReserveFor(string dataDir, int maxConnections)
    {
        if (session.DryRun || HugePageCounts.Parse(File.ReadAllText(MemInfo)) is not { } counts) return null;
        var asked = session.Runner.Run(Postgres.SharedMemoryHugePages(dataDir, maxConnections), allowFailure: true, timeout: TimeSpan.FromSeconds(30));
        if (asked.ExitCode != 0 || !int.TryParse(asked.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var needed)) return null;
        if (TotalFor(needed, counts) is not { } total) return null;
        if (session.Runner.Run(SetTotal(total), allowFailure: true).ExitCode != 0) return $"host: huge pages not reserved (sysctl vm.nr_hugepages={total} failed); PostgreSQL uses normal pages";
        var after = HugePageCounts.Parse(File.ReadAllText(MemInfo));
        return after is not null && after.Available >= needed
            ? $"host: {needed} huge pages for PostgreSQL's shared memory (vm.nr_hugepages {counts.Total} → {after.Total})"
            : $"host: the kernel gave {after?.Available ?? 0} of {needed} huge pages; PostgreSQL uses normal pages";
    }
}
