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
    public void One_request_in_five_is_a_write_and_the_same_index_is_always_the_same_request()
    {
        var kinds = Enumerable.Range(0, 20_000).Select(i => LoadSchedule.KindOf(i, 0.2)).ToList();
        Assert.InRange(kinds.Count(k => k == RequestKind.Write) / 20_000.0, 0.19, 0.21);
        Assert.Equal(kinds, Enumerable.Range(0, 20_000).Select(i => LoadSchedule.KindOf(i, 0.2)));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(RequestKind.Read, LoadSchedule.KindOf(i, 0)));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(RequestKind.Write, LoadSchedule.KindOf(i, 1)));
    }

    /// <summary>
    /// What a server gets from a weighted round robin is every k-th request: at any stride and offset it must see the
    /// same mix as everyone (with writes every 5th request, a 10 % canary got only writes).
    /// </summary>
    [Fact]
    public void Every_round_robin_stride_sees_the_same_mix_of_writes_and_read_paths()
    {
        string[] paths = ["/a", "/b"];
        foreach (var stride in Enumerable.Range(2, 19))
            foreach (var offset in new[] { 0, 1, stride - 1 })
            {
                var seen = Enumerable.Range(0, 2_000).Select(n => (long)offset + (long)n * stride).ToList();
                var writes = seen.Count(i => LoadSchedule.KindOf(i, 0.2) == RequestKind.Write) / 2_000.0;
                var a = seen.Count(i => LoadSchedule.ReadPath(i, paths) == "/a") / 2_000.0;
                Assert.True(writes is > 0.16 and < 0.24, $"stride {stride} offset {offset}: {writes:P1} writes");
                Assert.True(a is > 0.45 and < 0.55, $"stride {stride} offset {offset}: {a:P1} of reads on /a");
            }
    }

    [Fact]
    public void Read_paths_are_all_used_and_the_count_bound_follows_the_time_bound()
    {
        Assert.Equal(["/a", "/b", "/c"], Enumerable.Range(0, 100).Select(i => LoadSchedule.ReadPath(i, ["/a", "/b", "/c"])).Distinct().Order());
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
