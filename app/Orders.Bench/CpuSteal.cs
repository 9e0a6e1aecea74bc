namespace Orders.Bench;

/// <summary>CPU steal from /proc/stat: on a VM it tracks p99 closely, so it is recorded beside every latency figure.</summary>
public readonly record struct CpuSample(long Steal, long Total)
{
    public static CpuSample Read()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            return new(fields.Length > 7 ? fields[7] : 0, fields.Take(8).Sum());
        }
        catch (Exception) { return default; }
    }

    public static double StealPercent(CpuSample from, CpuSample to) =>
        to.Total == from.Total ? 0 : 100.0 * (to.Steal - from.Steal) / (to.Total - from.Total);
}
