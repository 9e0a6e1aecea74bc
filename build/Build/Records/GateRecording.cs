using Cake.Core.Diagnostics;

namespace Pipeline.Records;

/// <summary>A gate said no: the release stops here, and the verdict that stopped it is in the run record.</summary>
public sealed class GateFailedException(GateVerdict verdict) : Exception($"Gate {verdict.Gate} failed: {verdict.Summary}")
{
    public GateVerdict Verdict { get; } = verdict;
}

public static class GateRecording
{
    /// <summary>Records the verdict, logs it, and throws <see cref="GateFailedException"/> when it is a Fail.</summary>
    public static GateVerdict Enforce(this BuildContext context, GateVerdict verdict)
    {
        context.Record.Verdicts.Add(verdict);
        var line = $"Gate {verdict.Gate}: {verdict.Verdict.ToString().ToUpperInvariant()} — {verdict.Summary}";
        if (verdict.Verdict is Verdict.Fail) context.Log.Error(line);
        else if (verdict.Verdict is Verdict.Warn or Verdict.Inconclusive) context.Log.Warning(line);
        else context.Log.Information(line);
        if (verdict.Verdict != Verdict.Fail) return verdict;
        // A dry run shows the whole plan: it reports the gate that would stop the release and goes on.
        if (context.DryRun)
        {
            context.Log.Warning("[dry-run] the release would stop here.");
            return verdict;
        }
        throw new GateFailedException(verdict);
    }
}
