using System.Text;

namespace Pipeline.Drill.Phases;

/// <summary>
/// The drill's verdict: every phase — release phase or seam-break contrast — against its target. The drill passes
/// only when all of them did; a contrast that showed nothing is a failure like a release that dropped requests.
/// </summary>
public static class DrillSummary
{
    public static bool Passed(IReadOnlyList<PhaseResult> results) => results.Count > 0 && results.All(r => r.Passed);

    /// <summary>One line per phase, for the log and the end of the run.</summary>
    public static string Table(IReadOnlyList<PhaseResult> results)
    {
        var sb = new StringBuilder();
        var width = results.Count == 0 ? 10 : results.Max(r => r.Name.Length);
        foreach (var r in results)
            sb.Append(r.Passed ? "PASS " : "FAIL ").Append(r.Name.PadRight(width)).Append("  ").Append(r.Figure)
              .Append(r.Passed ? "" : $"  (target: {r.Target})").Append('\n');
        var failed = results.Count(r => !r.Passed);
        sb.Append(failed == 0 && results.Count > 0 ? $"Drill: all {results.Count} phases met their targets." : $"Drill: {failed} of {results.Count} phases missed their targets.");
        return sb.ToString();
    }
}
