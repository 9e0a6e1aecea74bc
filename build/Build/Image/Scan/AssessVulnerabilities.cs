using System.Text.Json.Nodes;
using Pipeline.Config;
using Pipeline.Records;

namespace Pipeline.Image.Scan;

/// <summary>
/// CVE policy. Trivy's silent pass — it cannot detect the OS, reports no OS-package result and exits 0 —
/// counts as a failure: a scan that looked at nothing has not passed.
/// </summary>
public static class AssessVulnerabilities
{
    public const string Gate = "image.vulnerabilities";

    public static GateVerdict ScannerMissing(ScannerPolicy policy) => policy == ScannerPolicy.Required
        ? new GateVerdict(Gate, Verdict.Fail, "no CVE scanner (trivy) on PATH and gates.scan.cveScanner is 'required'")
        : new GateVerdict(Gate, Verdict.Warn, "NO CVE SCAN: trivy is not on PATH (gates.scan.cveScanner: warn); only the SBOM was produced");

    /// <summary>Judges Trivy's JSON report and exit code (1 = findings at the configured severities).</summary>
    public static GateVerdict AssessReport(string reportJson, int exitCode, IReadOnlyList<string> severities)
    {
        var results = JsonNode.Parse(reportJson)?["Results"]?.AsArray() ?? [];
        var osResult = results.FirstOrDefault(r => (string?)r?["Class"] == "os-pkgs");
        var vulns = results.SelectMany(r => r?["Vulnerabilities"]?.AsArray() ?? []).ToList();
        var counted = vulns.Count(v => severities.Contains((string?)v?["Severity"] ?? ""));
        var figures = new Dictionary<string, double> { ["vulnerabilities"] = counted, ["results"] = results.Count };
        if (osResult is null)
            return new GateVerdict(Gate, Verdict.Fail, "Trivy reported no OS-package result: it did not recognise the OS, so nothing was scanned", figures);
        if (exitCode != 0 || counted > 0)
            return new GateVerdict(Gate, Verdict.Fail, $"{counted} fixable {string.Join('/', severities)} vulnerabilities (trivy exit {exitCode})", figures);
        return new GateVerdict(Gate, Verdict.Pass, $"no fixable {string.Join('/', severities)} vulnerabilities in {(string?)osResult["Target"]} and app packages", figures);
    }
}
