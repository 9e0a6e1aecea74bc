using Pipeline.Tools;

namespace Pipeline.Image.Scan;

/// <summary>argv for Trivy (present in GitHub Actions, not installable on this machine).</summary>
public static class TrivyCommands
{
    /// <summary>
    /// --exit-code 1: Trivy exits 0 on findings without it. --ignore-unfixed: a finding nobody can fix yet
    /// would block every release without making any release safer.
    /// </summary>
    public static ToolCommand ScanArchive(string ociArchive, string jsonOutput, IEnumerable<string> severities) =>
        new("trivy", "image", "--input", ociArchive, "--scanners", "vuln", "--format", "json", "--output", jsonOutput,
            "--exit-code", "1", "--ignore-unfixed", "--severity", string.Join(',', severities), "--quiet");
}
