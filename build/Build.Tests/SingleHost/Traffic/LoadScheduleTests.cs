using Pipeline.SingleHost.Traffic;

namespace Pipeline.Tests.SingleHost.Traffic;

public sealed class LoadScheduleTests
{
    [Theory]
    [InlineData(60)]
    [InlineData(7)]
    [InlineData(333)]
    public void Requests_are_due_evenly_spaced_from_the_start(double rate)
    {
        var dues = Enumerable.Range(0, 1000).Select(i => LoadSchedule.DueAt(i, rate)).ToList();
        Assert.Equal(TimeSpan.Zero, dues[0]);
        var gaps = dues.Zip(dues.Skip(1), (a, b) => (b - a).Ticks).ToList();
        var ideal = TimeSpan.TicksPerSecond / rate;
        // Rounded to a tick, never accumulating drift: request 1000 is due at 1000/rate exactly.
        Assert.All(gaps, g => Assert.InRange(g, ideal - 1, ideal + 1));
        Assert.Equal(Math.Round(999 * TimeSpan.TicksPerSecond / rate), dues[^1].Ticks);
    }

    [Fact]
    public void Writes_are_spread_evenly_among_reads()
    {
        var kinds = Enumerable.Range(0, 100).Select(i => LoadSchedule.KindOf(i, 0.2)).ToList();
        Assert.Equal(20, kinds.Count(k => k == RequestKind.Write));
        // Every window of 5 consecutive requests holds exactly one write: no bursts of writes.
        for (var i = 0; i + 5 <= kinds.Count; i++) Assert.Equal(1, kinds.Skip(i).Take(5).Count(k => k == RequestKind.Write));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(RequestKind.Read, LoadSchedule.KindOf(i, 0)));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(RequestKind.Write, LoadSchedule.KindOf(i, 1)));
    }

    [Fact]
    public void Read_paths_are_used_in_turn_and_the_count_bound_follows_the_time_bound()
    {
        Assert.Equal(["/a", "/b", "/a"], Enumerable.Range(0, 3).Select(i => LoadSchedule.ReadPath(i, ["/a", "/b"])));
        Assert.Equal(54_000, LoadSchedule.MaxRequests(60, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        Assert.Equal(50, LoadSchedule.Percentile(sorted, 50));
        Assert.Equal(99, LoadSchedule.Percentile(sorted, 99));
        Assert.Equal(100, LoadSchedule.Percentile(sorted, 100));
        Assert.Equal(0, LoadSchedule.Percentile([], 99));
        Assert.Equal(7, LoadSchedule.Percentile([7], 99));
    }

    [Fact]
    public void The_tester_refuses_non_loopback_targets_and_a_zero_rate()
    {
        var on = new Pipeline.Config.LoadTestConfig { RatePerSecond = 10 };
        Assert.Throws<ArgumentException>(() => LoadTester.Start(new Uri("http://10.1.2.3:8080"), on));
        Assert.Throws<ArgumentException>(() => LoadTester.Start(new Uri("http://127.0.0.1:8080"), new Pipeline.Config.LoadTestConfig { RatePerSecond = 0 }));
    }
}
