namespace Orders.Bench;

/// <summary>
/// CPU steal from /proc/stat: on a VM it tracks p99 closely, so it is recorded beside every latency figure.
/// One file for the benchmark and the pipeline's release drill (build/Build links it): one parser, one meaning.
/// </summary>
public readonly record struct CpuSample(long Steal, long Total)
{
    public static CpuSample Read()
    {
        try { return Parse(File.ReadLines("/proc/stat").First()); }
        catch (Exception) { return default; }
    }

    /// <summary>
    /// The aggregate "cpu" line: user nice system idle iowait irq softirq steal [guest guest_nice]. Guest time is
    /// already counted inside user/nice, so the total is the first eight fields. Not a "cpu" line → FormatException.
    /// </summary>
    public static CpuSample Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5 || parts[0] != "cpu") throw new FormatException($"not the aggregate cpu line of /proc/stat: '{line}'");
        var fields = parts.Skip(1).Select(p => long.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new(fields.Length > 7 ? fields[7] : 0, fields.Take(8).Sum());
    }

    public static double StealPercent(CpuSample from, CpuSample to) =>
        to.Total == from.Total ? 0 : 100.0 * (to.Steal - from.Steal) / (to.Total - from.Total);
}
