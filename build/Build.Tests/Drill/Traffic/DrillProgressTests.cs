using Pipeline.Drill.Traffic;

namespace Pipeline.Tests.Drill.Traffic;

public sealed class DrillProgressTests
{
    [Fact]
    public void The_line_shows_phase_elapsed_remaining_failures_and_p99()
    {
        Assert.Equal("[canary] 03:12 / 25:00 (21:48 left) | 38,400 requests, 2 failed | p99 (10 s) 12.4 ms",
            DrillProgress.Format("canary", TimeSpan.FromSeconds(192), TimeSpan.FromMinutes(25), 38_400, 2, 12.44));
        Assert.Equal("[fault: database] 26:00 / 25:00 (01:00 over plan) | 5 requests, 0 failed | p99 (10 s) 0.0 ms",
            DrillProgress.Format("fault: database", TimeSpan.FromMinutes(26), TimeSpan.FromMinutes(25), 5, 0, 0));
        Assert.StartsWith("[x] 1:00:01 / 1:30:00", DrillProgress.Format("x", TimeSpan.FromSeconds(3601), TimeSpan.FromMinutes(90), 0, 0, 0));
    }

    [Theory]
    [InlineData(false, null, null, true)]
    [InlineData(true, null, null, false)]
    [InlineData(false, "1", null, false)]
    [InlineData(false, null, "true", false)]
    public void One_updating_line_only_on_a_terminal_without_NO_COLOR_or_CI(bool redirected, string? noColor, string? ci, bool inPlace) =>
        Assert.Equal(inPlace, DrillProgress.UseInPlace(redirected, name => name switch { "NO_COLOR" => noColor, "CI" => ci, _ => null }));
}
