using System.Globalization;

namespace Pipeline.Drill.Phases;

/// <summary>
/// CPU steal over a window from /proc/stat's aggregate "cpu" line (8th value). On this kind of VM steal jumps to
/// 15–36 % for seconds and moves p99 more than load does, so a latency window is judged only when steal ≤ 10 %.
/// </summary>
public static class CpuSteal
{
    public readonly record struct Sample(long Steal, long Total);

    public static Sample Read(string procStat = "/proc/stat") =>
        File.Exists(procStat) ? Parse(File.ReadLines(procStat).First()) : new Sample(0, 0);

    public static Sample Parse(string cpuLine)
    {
        var f = cpuLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 9 || f[0] != "cpu") throw new FormatException($"not /proc/stat's aggregate cpu line: '{cpuLine}'");
        var values = f.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new Sample(values[7], values.Sum());
    }

    /// <summary>Steal as a percentage of all CPU time between two samples (0 when no time passed).</summary>
    public static double Percent(Sample from, Sample to)
    {
        var total = to.Total - from.Total;
        return total <= 0 ? 0 : 100.0 * (to.Steal - from.Steal) / total;
    }
}
