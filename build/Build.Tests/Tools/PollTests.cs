using System.Diagnostics;
using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

public class PollTests
{
    [Fact]
    public void Returns_as_soon_as_the_probe_is_done_with_its_observation()
    {
        var calls = 0;
        var seen = Poll.Until(() => ++calls == 3 ? (true, "UP") : (false, "DOWN"), TimeSpan.FromSeconds(10), "server UP", TimeSpan.FromMilliseconds(1));
        Assert.Equal("UP", seen);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void A_timeout_names_the_reason_and_the_last_observation()
    {
        var n = 0;
        var e = Assert.Throws<PollTimeoutException>(() =>
            Poll.Until(() => (false, $"status DOWN ({++n})"), TimeSpan.FromMilliseconds(200), "HAProxy to mark app/app1 UP", TimeSpan.FromMilliseconds(20)));
        Assert.StartsWith("Timed out after 0.2 s waiting for HAProxy to mark app/app1 UP; last observation: status DOWN (", e.Message);
        Assert.Equal($"status DOWN ({n})", e.LastObservation);
        Assert.IsAssignableFrom<TimeoutException>(e);
    }

    [Fact]
    public void The_deadline_holds_even_with_a_long_interval()
    {
        var sw = Stopwatch.StartNew();
        Assert.Throws<PollTimeoutException>(() => Poll.Until(() => false, TimeSpan.FromMilliseconds(100), "never", TimeSpan.FromSeconds(30)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void A_probe_failure_that_is_not_transient_propagates_at_once()
    {
        var calls = 0;
        Assert.Throws<InvalidOperationException>(() => Poll.Until(new Func<bool>(() => { calls++; throw new InvalidOperationException("pid gone"); }), TimeSpan.FromSeconds(10), "x"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Within_returns_false_at_the_deadline() =>
        Assert.False(Poll.Within(() => false, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10)));
}
