using System.Text.Json;
using Pipeline.Records;

namespace Pipeline.Drill.Report;

/// <summary>
/// Writes artifacts/drill/: report.json (everything but the individual requests), requests.jsonl (every attempt,
/// one JSON object a line), timeline.png and the self-contained report.html. Returns the paths written.
/// </summary>
public static class ReportWriter
{
    public const string Folder = "drill";

    public static IReadOnlyList<string> Write(string artifactsDir, DrillReport report, IReadOnlyList<RequestRecord> records)
    {
        var dir = Path.Combine(artifactsDir, Folder);
        Directory.CreateDirectory(dir);
        var json = Path.Combine(dir, "report.json");
        File.WriteAllText(json, JsonSerializer.Serialize(report, RunRecord.Json) + "\n");
        var lines = Path.Combine(dir, "requests.jsonl");
        using (var w = new StreamWriter(lines))
            foreach (var r in records) w.WriteLine(JsonSerializer.Serialize(r, Compact));
        var png = TimelinePlot.RenderPng(report);
        var pngPath = Path.Combine(dir, "timeline.png");
        File.WriteAllBytes(pngPath, png);
        var html = Path.Combine(dir, "report.html");
        File.WriteAllText(html, ReportHtml.Render(report, png));
        return [json, lines, pngPath, html];
    }

    private static readonly JsonSerializerOptions Compact = new(RunRecord.Json) { WriteIndented = false };
}
