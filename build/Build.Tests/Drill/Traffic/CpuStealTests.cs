using Orders.Bench;

namespace Pipeline.Tests.Drill.Traffic;

public sealed class CpuStealTests
{
    [Fact]
    public void The_aggregate_cpu_line_gives_steal_and_the_total_of_the_first_eight_fields()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest is already inside user).
        var s = CpuSample.Parse("cpu  1000 20 300 8000 50 0 30 600 400 0");
        Assert.Equal(600, s.Steal);
        Assert.Equal(1000 + 20 + 300 + 8000 + 50 + 0 + 30 + 600, s.Total);
        // An old kernel without the steal column: no steal, not a crash.
        Assert.Equal(new CpuSample(0, 100), CpuSample.Parse("cpu 10 20 30 40"));
    }

    [Fact]
    public void Steal_percent_is_the_share_of_all_cpu_time_between_two_samples()
    {
        var from = CpuSample.Parse("cpu 1000 0 0 8000 0 0 0 1000");
        var to = CpuSample.Parse("cpu 1060 0 0 8120 0 0 0 1020");
        Assert.Equal(10.0, CpuSample.StealPercent(from, to), 6);
        Assert.Equal(0, CpuSample.StealPercent(to, to));
    }

    [Theory]
    [InlineData("cpu0 1 2 3 4 5 6 7 8")]
    [InlineData("intr 12345 0 0")]
    [InlineData("")]
    public void Anything_but_the_aggregate_line_is_refused(string line) =>
        Assert.Throws<FormatException>(() => CpuSample.Parse(line));

    [Fact]
    public void This_machine_has_a_readable_proc_stat() => Assert.True(CpuSample.Read().Total > 0);
}
