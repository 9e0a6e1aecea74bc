using System.Globalization;
using System.Xml.Linq;
using Pipeline.Records;

namespace Pipeline.Gates;

/// <summary>
/// Line coverage from coverlet's cobertura files of this run. Unit and integration runs of the same assembly are
/// merged per (file, line): a line counts as covered when any run hit it, and is counted once however many runs saw it.
/// </summary>
public static class CoverageGate
{
    public const string Name = "coverage";

    public sealed record LineCoverage(int Covered, int Valid)
    {
        public double Percent => Valid == 0 ? 0 : Math.Round(100.0 * Covered / Valid, 2);
    }

    public static LineCoverage Measure(IEnumerable<string> coberturaFiles)
    {
        var lines = new Dictionary<(string File, int Line), bool>();
        foreach (var file in coberturaFiles)
        {
            var doc = XDocument.Load(file);
            // Source roots let two reports name the same file relatively or absolutely.
            var root = doc.Descendants("source").Select(s => s.Value).FirstOrDefault() ?? "";
            foreach (var cls in doc.Descendants("class"))
            {
                var name = Path.Combine(root, cls.Attribute("filename")?.Value ?? "");
                foreach (var line in cls.Elements("lines").Elements("line"))
                {
                    var key = (name, int.Parse(line.Attribute("number")!.Value, CultureInfo.InvariantCulture));
                    var hit = long.Parse(line.Attribute("hits")?.Value ?? "0", CultureInfo.InvariantCulture) > 0;
                    lines[key] = lines.TryGetValue(key, out var before) ? before || hit : hit;
                }
            }
        }
        return new LineCoverage(lines.Values.Count(h => h), lines.Count);
    }

    public static GateVerdict Assess(LineCoverage coverage, double minPercent, int reports)
    {
        var figures = new Dictionary<string, double>
        {
            ["linePercent"] = coverage.Percent, ["linesCovered"] = coverage.Covered, ["linesValid"] = coverage.Valid,
            ["minPercent"] = minPercent, ["reports"] = reports,
        };
        // No data is never a pass: a broken collector must not look like perfect code.
        if (reports == 0 || coverage.Valid == 0)
            return new GateVerdict(Name, Verdict.Fail, "no coverage data from this run (is coverlet.collector referenced by the test projects?)", figures);
        return coverage.Percent >= minPercent
            ? new GateVerdict(Name, Verdict.Pass, $"line coverage {coverage.Percent:0.0}% ≥ {minPercent:0.#}% ({coverage.Covered}/{coverage.Valid} lines, {reports} reports)", figures)
            : new GateVerdict(Name, Verdict.Fail, $"line coverage {coverage.Percent:0.0}% < {minPercent:0.#}% ({coverage.Covered}/{coverage.Valid} lines, {reports} reports)", figures);
    }
}
