using System.Text.Json;

namespace Pipeline.Drill.Report;

/// <summary>
/// The image-history evidence ImageScan left in artifacts/scan/ (secrets.json, history.txt, hardening.json), as the
/// report shows it: no secret in any layer file, the config or a history entry. Null when no scan ran in this
/// workspace — the report then says so instead of claiming a clean image.
/// </summary>
public sealed record ScanEvidence(string Verdict, long ScannedFiles, long ScannedBytes, int Layers, int Findings, int Allowlisted,
    IReadOnlyList<string> History, IReadOnlyList<string> HardeningProblems)
{
    public static ScanEvidence? Read(string scanDir)
    {
        var secrets = Path.Combine(scanDir, "secrets.json");
        if (!File.Exists(secrets)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(secrets));
        var r = doc.RootElement;
        int Count(string name) => r.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.GetArrayLength() : 0;
        long Long(string name) => r.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        var historyFile = Path.Combine(scanDir, "history.txt");
        var history = File.Exists(historyFile) ? File.ReadAllLines(historyFile).Where(l => l.Length > 0).ToList() : [];
        var problems = new List<string>();
        var hardeningFile = Path.Combine(scanDir, "hardening.json");
        if (File.Exists(hardeningFile))
        {
            using var h = JsonDocument.Parse(File.ReadAllText(hardeningFile));
            if (h.RootElement.TryGetProperty("problems", out var p) && p.ValueKind == JsonValueKind.Array)
                problems.AddRange(p.EnumerateArray().Select(x => x.GetString() ?? ""));
        }
        return new ScanEvidence(r.TryGetProperty("verdict", out var v) ? v.GetString() ?? "unknown" : "unknown",
            Long("scannedFiles"), Long("scannedBytes"), Count("layers"), Count("findings"), Count("allowlisted"), history, problems);
    }
}
