namespace Pipeline.Drill.Phases;

/// <summary>
/// Issue 10's rule for CPU steal: a cutover window the hypervisor stole (&gt; 10 % steal) is not judged for p99, and
/// the phase is run again. Only phases that can start over from the release that served before them
/// (<see cref="IDrillPhase.Repeatable"/>) are; the result keeps a note of every earlier, unjudged attempt.
/// </summary>
public static class StolenWindowRerun
{
    public const int MaxReruns = 2;

    public static async Task<PhaseResult> RunAsync(IDrillPhase phase, Func<Task<PhaseResult>> runOnce, Func<Task> restore, Action<int, string> rerunning)
    {
        var result = await runOnce();
        var earlier = new List<string>();
        for (var rerun = 1; result.Stolen && phase.Repeatable && rerun <= MaxReruns; rerun++)
        {
            earlier.Add(result.Figure);
            rerunning(rerun + 1, result.Figure);
            await restore();
            result = await runOnce();
        }
        if (earlier.Count == 0) return result;
        var note = $"run {earlier.Count + 1} times: {earlier.Count} earlier window(s) not judged ({string.Join(" | ", earlier)})";
        return result with { Note = result.Note is { Length: > 0 } n ? n + "; " + note : note };
    }
}
