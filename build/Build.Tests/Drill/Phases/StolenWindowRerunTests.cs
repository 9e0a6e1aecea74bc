using Pipeline.Drill;
using Pipeline.Drill.Phases;

namespace Pipeline.Tests.Drill.Phases;

public sealed class StolenWindowRerunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private sealed class Phase(bool repeatable) : IDrillPhase
    {
        public string Name => "2 rolling release";
        public bool Repeatable => repeatable;
        public Task<PhaseResult> RunAsync(DrillRun run, CancellationToken ct) => throw new NotSupportedException();
    }

    private static PhaseResult Result(bool stolen, string figure) =>
        new("2 rolling release", false, T0, T0, "target", true, figure) { Stolen = stolen };

    private static async Task<(PhaseResult Result, int Runs, int Restores)> Run(bool repeatable, params PhaseResult[] attempts)
    {
        var runs = 0;
        var restores = 0;
        var result = await StolenWindowRerun.RunAsync(new Phase(repeatable), () => Task.FromResult(attempts[runs++]), () => { restores++; return Task.CompletedTask; }, (_, _) => { });
        return (result, runs, restores);
    }

    [Fact]
    public async Task A_stolen_window_is_run_again_after_a_restore_and_the_earlier_attempt_is_noted()
    {
        var (result, runs, restores) = await Run(true, Result(true, "not judged: steal 23 %"), Result(false, "p99 5.1 ms vs limit 9 ms"));
        Assert.Equal((2, 1), (runs, restores));
        Assert.Equal("p99 5.1 ms vs limit 9 ms", result.Figure);
        Assert.Equal("run 2 times: 1 earlier window(s) not judged (not judged: steal 23 %)", result.Note);
    }

    [Fact]
    public async Task A_judged_window_is_never_run_again()
    {
        var (result, runs, restores) = await Run(true, Result(false, "judged"));
        Assert.Equal((1, 0), (runs, restores));
        Assert.Null(result.Note);
    }

    [Fact]
    public async Task A_phase_that_cannot_start_over_keeps_its_stolen_result()
    {
        var (result, runs, _) = await Run(false, Result(true, "stolen"));
        Assert.Equal(1, runs);
        Assert.True(result.Stolen);
    }

    [Fact]
    public async Task At_most_two_reruns_then_the_last_result_stands_unjudged()
    {
        var (result, runs, restores) = await Run(true, Result(true, "a"), Result(true, "b"), Result(true, "c"), Result(false, "never reached"));
        Assert.Equal((3, 2), (runs, restores));
        Assert.True(result.Stolen);
        Assert.Equal("run 3 times: 2 earlier window(s) not judged (a | b)", result.Note);
    }
}
