using Pipeline.Drill;
using Pipeline.Drill.Phases;

namespace Pipeline.Tests.Drill.Phases;

public sealed class DrillSummaryTests
{
    private static PhaseResult P(string name, bool passed, bool contrast = false) =>
        new(name, contrast, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "target", passed, "figure");

    [Fact]
    public void The_drill_passes_only_when_every_phase_and_every_contrast_did()
    {
        Assert.True(DrillSummary.Passed([P("1", true), P("C1", true, contrast: true)]));
        Assert.False(DrillSummary.Passed([P("1", true), P("C1", false, contrast: true)])); // a contrast that showed nothing
        Assert.False(DrillSummary.Passed([P("1", false), P("C1", true, contrast: true)]));
        Assert.False(DrillSummary.Passed([]));
    }

    [Fact]
    public void The_table_names_each_phase_with_its_figure_and_the_target_of_a_failed_one()
    {
        var table = DrillSummary.Table([P("1 baseline", true), P("2 rolling", false)]);
        Assert.Equal("PASS 1 baseline  figure\nFAIL 2 rolling   figure  (target: target)\nDrill: 1 of 2 phases missed their targets.", table);
    }
}
