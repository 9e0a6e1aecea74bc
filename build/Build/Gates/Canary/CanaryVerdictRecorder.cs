using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Records;

namespace Pipeline.Gates.Canary;

/// <summary>
/// Persists a canary verdict: artifacts/gates/canary-&lt;step&gt;-&lt;time&gt;.json (figures, reasons, the exact PromQL),
/// the run record's Verdicts and a "verdict" release event. The audit-trail entry is written by whoever acts on it.
/// </summary>
public static class CanaryVerdictRecorder
{
    // The PromQL stays readable in the file (quotes unescaped): people copy it into Prometheus's UI.
    private static readonly JsonSerializerOptions Json = new(RunRecord.Json) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Record(BuildContext context, CanaryVerdict verdict)
    {
        var gate = verdict.ToGateVerdict();
        context.Record.Verdicts.Add(gate);
        context.Record.Events.Add(new ReleaseEvent(verdict.At, "verdict", gate.Gate, $"{verdict.Verdict}: {verdict.Summary}"));
        return Write(Path.Combine(context.Paths.Artifacts, "gates"), verdict);
    }

    public static string Write(string directory, CanaryVerdict verdict)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"canary-{verdict.StepWeight}-{verdict.At:yyyyMMddTHHmmssfff}.json");
        var gate = verdict.ToGateVerdict();
        var document = new
        {
            gate.Gate,
            gate.Verdict,
            verdict.StepWeight,
            gate.At,
            gate.Summary,
            verdict.Reasons,
            gate.Figures,
            verdict.Queries,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
        return path;
    }
}
