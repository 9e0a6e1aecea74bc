namespace Pipeline.Tools;

/// <summary>argv for Trivy's CVE scan of an OCI image layout or archive (the image helper's ImageScan runs it when installed).</summary>
public static class Trivy
{
    /// <summary>
    /// JSON report of vulnerabilities at the given severities. --exit-code 0: the policy is applied by our gate from
    /// the report (so a finding and a scanner crash are never confused); --skip-db-update when the DB is pre-seeded offline.
    /// </summary>
    public static ToolCommand ScanImage(string input, string reportFile, IEnumerable<string> severities, bool offline) =>
        new("trivy", [
            "image", "--input", input, "--scanners", "vuln", "--format", "json", "--output", reportFile,
            "--severity", string.Join(",", severities), "--exit-code", "0", "--quiet",
            .. (offline ? new[] { "--skip-db-update", "--offline-scan" } : []),
        ]);

    public static ToolCommand Version() => new("trivy", "--version");
}
