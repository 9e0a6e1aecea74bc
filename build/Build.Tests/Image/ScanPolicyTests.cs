using Pipeline.Config;
using Pipeline.Image.Scan;
using Pipeline.Records;

namespace Pipeline.Tests.Image;

public class ScanPolicyTests
{
    private static readonly string[] Severities = ["HIGH", "CRITICAL"];

    [Fact]
    public void Trivy_without_an_os_packages_result_fails_even_with_exit_0()
    {
        var v = AssessVulnerabilities.AssessReport("""{"Results":[{"Target":"app/Orders.Api.deps.json","Class":"lang-pkgs"}]}""", 0, Severities);
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Contains("OS-package", v.Summary);
        Assert.Equal(Verdict.Fail, AssessVulnerabilities.AssessReport("{}", 0, Severities).Verdict);
    }

    [Fact]
    public void Trivy_clean_os_scan_passes()
    {
        var v = AssessVulnerabilities.AssessReport("""{"Results":[{"Target":"img (debian 12.12)","Class":"os-pkgs","Type":"debian"}]}""", 0, Severities);
        Assert.Equal(Verdict.Pass, v.Verdict);
    }

    [Fact]
    public void Trivy_findings_fail()
    {
        var report = """{"Results":[{"Target":"img (debian 12)","Class":"os-pkgs","Vulnerabilities":[{"VulnerabilityID":"CVE-1","Severity":"CRITICAL"}]}]}""";
        Assert.Equal(Verdict.Fail, AssessVulnerabilities.AssessReport(report, 1, Severities).Verdict);
    }

    [Fact]
    public void Missing_scanner_is_per_environment_policy()
    {
        Assert.Equal(Verdict.Fail, AssessVulnerabilities.ScannerMissing(ScannerPolicy.Required).Verdict);
        var warn = AssessVulnerabilities.ScannerMissing(ScannerPolicy.Warn);
        Assert.Equal(Verdict.Warn, warn.Verdict);
        Assert.Contains("NO CVE SCAN", warn.Summary);
    }

    [Theory]
    [InlineData("1654", true)]
    [InlineData("1654:1654", true)]
    [InlineData("0", false)]
    [InlineData("0:0", false)]
    [InlineData("root", false)]
    [InlineData("app", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Non_root_means_a_non_zero_numeric_uid(string? user, bool ok) => Assert.Equal(ok, AssessHardening.RunsAsNonRoot(user));

    [Fact]
    public void Sbom_reads_dpkg_status_and_deps_json()
    {
        var debs = Sbom.ParseDpkgStatus("Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u14\nArchitecture: amd64\nDescription: x\n continued: line\n", "/s").ToList();
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12", Assert.Single(debs).Purl);
        var deps = """
            {"libraries":{
              "Orders.Api/1.3.0":{"type":"project"},
              "Npgsql/10.0.0":{"type":"package"},
              "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12":{"type":"runtimepack"}}}
            """;
        Assert.Equal(["pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@10.0.12", "pkg:nuget/Npgsql@10.0.0"],
            Sbom.ParseDepsJson(deps, "/app/x.deps.json").Select(c => c.Purl).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Sbom_document_is_cyclonedx_without_a_timestamp()
    {
        var json = Sbom.ToCycloneDx([new SbomComponent("library", "libc6", "2.36", "pkg:deb/debian/libc6@2.36", "/s")], "orders-api", "1.3.0", "sha256:1");
        Assert.Contains("\"bomFormat\": \"CycloneDX\"", json);
        Assert.Contains("\"specVersion\": \"1.5\"", json);
        Assert.DoesNotContain("timestamp", json);
        Assert.DoesNotContain("serialNumber", json);
    }
}
