using Pipeline.Config;
using Pipeline.Gates;
using Pipeline.Records;

namespace Pipeline.Tests.Gates;

public class ChangeWindowGateTests
{
    private static readonly ChangeWindowConfig FridayAfternoon = new() { Days = [DayOfWeek.Friday], From = "12:00", To = "23:59", Reason = "weekend", TimeZone = "UTC" };
    private static readonly ChangeWindowConfig Overnight = new() { Days = [DayOfWeek.Monday], From = "22:00", To = "02:00", Reason = "backups", TimeZone = "UTC" };

    // 2026-11-20 is a Friday.
    [Theory]
    [InlineData("2026-11-20T11:59:59Z", false)]
    [InlineData("2026-11-20T12:00:00Z", true)]
    [InlineData("2026-11-20T23:59:30Z", true)]
    [InlineData("2026-11-21T00:00:00Z", false)]
    [InlineData("2026-11-19T15:00:00Z", false)]
    public void Friday_afternoon_window_boundaries(string at, bool inside) =>
        Assert.Equal(inside, ChangeWindowGate.Contains(FridayAfternoon, DateTimeOffset.Parse(at)));

    [Theory]
    [InlineData("2026-11-23T23:00:00Z", true)]   // Monday night
    [InlineData("2026-11-24T01:30:00Z", true)]   // Tuesday early morning, still Monday's window
    [InlineData("2026-11-24T02:01:00Z", false)]
    [InlineData("2026-11-23T01:00:00Z", false)]  // Monday early morning belongs to Sunday's night
    public void Overnight_window_runs_into_the_next_day(string at, bool inside) =>
        Assert.Equal(inside, ChangeWindowGate.Contains(Overnight, DateTimeOffset.Parse(at)));

    [Fact]
    public void Window_is_evaluated_in_its_own_time_zone()
    {
        var berlin = new ChangeWindowConfig { Days = [DayOfWeek.Friday], From = "12:00", To = "23:59", Reason = "r", TimeZone = "Europe/Berlin" };
        // 11:30 UTC in November is 12:30 in Berlin.
        Assert.True(ChangeWindowGate.Contains(berlin, DateTimeOffset.Parse("2026-11-20T11:30:00Z")));
        Assert.False(ChangeWindowGate.Contains(FridayAfternoon, DateTimeOffset.Parse("2026-11-20T11:30:00Z")));
    }

    [Fact]
    public void Inside_a_window_fails_and_says_how_to_override()
    {
        var v = ChangeWindowGate.Assess([FridayAfternoon], DateTimeOffset.Parse("2026-11-20T15:00:00Z"), null);
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Contains("Fri 12:00-23:59 UTC", v.Summary);
        Assert.Contains("--override-window=", v.Summary);
    }

    [Fact]
    public void Override_with_a_reason_warns_and_carries_the_reason()
    {
        var v = ChangeWindowGate.Assess([FridayAfternoon], DateTimeOffset.Parse("2026-11-20T15:00:00Z"), "CVE-2026-1234 hotfix");
        Assert.Equal(Verdict.Warn, v.Verdict);
        Assert.Contains("OVERRIDDEN: CVE-2026-1234 hotfix", v.Summary);
    }

    [Fact]
    public void Override_without_a_reason_fails()
    {
        var v = ChangeWindowGate.Assess([FridayAfternoon], DateTimeOffset.Parse("2026-11-20T15:00:00Z"), "");
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Contains("needs a reason", v.Summary);
    }

    [Fact]
    public void Outside_every_window_passes()
    {
        Assert.Equal(Verdict.Pass, ChangeWindowGate.Assess([FridayAfternoon], DateTimeOffset.Parse("2026-11-18T15:00:00Z"), null).Verdict);
        Assert.Equal(Verdict.Pass, ChangeWindowGate.Assess([], DateTimeOffset.Parse("2026-11-20T15:00:00Z"), null).Verdict);
    }
}
