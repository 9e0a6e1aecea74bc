using Pipeline.Tests.Support;
using Pipeline.Image;
using Pipeline.Image.Scan;
using Pipeline.Records;
using Pipeline.Tools;

namespace Pipeline.Tests.Image;

[Collection(ImageCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImageIntegrationTests(ImageFixture f)
{
    [Fact]
    public void Rebuilding_the_same_commit_from_clean_gives_the_same_base_and_app_digests()
    {
        Assert.StartsWith("sha256:", f.FirstBaseDigest);
        Assert.Equal(f.FirstBaseDigest, f.SecondBaseDigest);
        Assert.Equal(f.FirstImage.LocalDigest, f.SecondImage.LocalDigest);
        Assert.Equal(f.FirstPushed, f.SecondPushed);
    }

    [Fact]
    public void Push_records_a_digest_reference_in_the_run_record_and_image_json()
    {
        Assert.Matches($"^localhost:{f.Env.RegistryPort}/orders-api@sha256:[0-9a-f]{{64}}$", f.FirstPushed);
        Assert.Equal(f.FirstPushed, f.First.Record.Facts["image.digest"]);
        var json = File.ReadAllText(ImageReleaser.ImageJson(f.First.Paths));
        Assert.Contains(f.FirstPushed, json);
    }

    [Fact]
    public void Labels_come_from_the_commit_and_the_release()
    {
        var config = f.First.Runner.Run(Skopeo.InspectConfig("docker://" + f.FirstPushed, tlsVerify: false)).StandardOutput;
        var labels = System.Text.Json.Nodes.JsonNode.Parse(config)!["config"]!["Labels"]!;
        Assert.Equal(f.FirstImage.Revision, (string?)labels["org.opencontainers.image.revision"]);
        Assert.Matches("^[0-9a-f]{40}$", f.FirstImage.Revision);
        Assert.Equal("1.3.0", (string?)labels["org.opencontainers.image.version"]);
        Assert.NotNull(labels["org.opencontainers.image.source"]);
        // Release 3's binary serves schemas 3..4 (the contract step): the labels say what the binary says.
        Assert.Equal("3", (string?)labels["io.orders-release.schema-min"]);
        Assert.Equal("4", (string?)labels["io.orders-release.schema-max"]);
    }

    [Fact]
    public void A_clean_image_passes_the_scan_and_the_missing_cve_scanner_is_a_loud_warning()
    {
        Assert.Equal(global::Pipeline.Records.Verdict.Pass, VerdictOf(f.CleanScan, AssessSecrets.Gate));
        Assert.Equal(global::Pipeline.Records.Verdict.Pass, VerdictOf(f.CleanScan, AssessHardening.Gate));
        Assert.Equal(global::Pipeline.Records.Verdict.Pass, VerdictOf(f.CleanScan, "image.sbom"));
        // local.yaml says cveScanner: warn and there is no trivy here.
        Assert.Equal(global::Pipeline.Records.Verdict.Warn, VerdictOf(f.CleanScan, AssessVulnerabilities.Gate));
        Assert.True(File.Exists(ImageScanner.SbomFile(f.First.Paths)));
        Assert.True(File.Exists(Path.Combine(ImageScanner.EvidenceDir(f.First.Paths), "files.tsv")));
    }

    [Fact]
    public void The_image_runs_by_digest_read_only_without_capabilities_as_uid_1654()
    {
        f.Second.Runner.Run(Podman.Pull(f.FirstPushed, tlsVerify: false));
        var probe = AssessHardening.ProbeReadOnlyRun(f.Second, f.FirstPushed, Path.Combine(f.Env.Root, "probe"));
        Assert.True(probe.Live, probe.Detail);
    }

    [Fact]
    public void The_image_migrates_and_becomes_ready_against_a_throwaway_postgresql()
    {
        using var pg = new ThrowawayPostgres();
        var port = FreePorts.One();
        var name = "it-ready-" + Guid.NewGuid().ToString("N")[..6];
        // Host network: the container reaches PostgreSQL on the host's loopback.
        string[] common =
        [
            "--network", "host", "--read-only", "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--user", "1654:1654",
            "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
            "--env", "ORDERS_DB_HOST=127.0.0.1", "--env", $"ORDERS_DB_PORT={pg.Port}", "--env", "ORDERS_DB_NAME=orders",
            "--env", "ORDERS_DB_USER=orders", "--env", "ORDERS_DB_PASSWORD_FILE=/run/secrets/db-password",
            "--volume", $"{pg.PasswordFile}:/run/secrets/db-password:ro",
        ];
        f.Second.Runner.Run(Podman.Pull(f.FirstPushed, tlsVerify: false));
        f.Second.Runner.Run(Podman.Command(["run", "--rm", .. common, f.FirstPushed, "migrate"]));
        try
        {
            f.Second.Runner.Run(Podman.Command(["run", "--detach", "--name", name, .. common, "--env", $"ASPNETCORE_HTTP_PORTS={port}", f.FirstPushed]));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var sw = System.Diagnostics.Stopwatch.StartNew();
            string body = "";
            while (sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                try
                {
                    using var r = http.GetAsync($"http://127.0.0.1:{port}/healthz/ready").GetAwaiter().GetResult();
                    body = r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                    if (r.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                Thread.Sleep(50);
            }
            Assert.Contains("\"ready\":true", body);
        }
        finally
        {
            f.Second.Runner.Run(Podman.Command("rm", "--force", "--time", "0", name), allowFailure: true);
        }
    }

    [Fact]
    public void A_secret_in_an_environment_variable_fails_the_scan()
    {
        var image = Derive("env", ctr => f.First.Runner.Run(Buildah.Config(ctr, ["--env", "ORDERS_DB_PASSWORD=" + f.Env.SecretValue])));
        AssertSecretFound(image, "config.Env");
    }

    [Fact]
    public void A_secret_in_a_file_in_a_layer_fails_the_scan()
    {
        var file = Path.Combine(f.Env.Root, "appsettings.Production.json");
        File.WriteAllText(file, "{\"deployKey\": \"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n\"}\n");
        var image = Derive("file", ctr => f.First.Runner.Run(Buildah.Copy(ctr, file, "/app/appsettings.Production.json")));
        AssertSecretFound(image, "/app/appsettings.Production.json");
    }

    [Fact]
    public void A_secret_in_a_build_argument_used_by_a_step_fails_the_scan()
    {
        // The base has no shell, so the step is an exec-form RUN of the app itself; buildah records every
        // build argument's value in the history entry of a RUN step.
        var dir = Path.Combine(f.Env.Root, "buildarg");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Containerfile"),
            "ARG FROM_IMAGE\nFROM ${FROM_IMAGE}\nARG DB_PASSWORD\nRUN [\"/app/Orders.Api\", \"schema-contract\"]\n");
        var tag = "localhost/orders-api-planted:buildarg";
        f.First.Runner.Run(Podman.Command("build", "--pull=never", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
            "--build-arg", "FROM_IMAGE=" + f.FirstImage.LocalTag, "--build-arg", "DB_PASSWORD=" + f.Env.SecretValue, "--tag", tag, dir));
        AssertSecretFound(f.FirstImage with { LocalTag = tag }, "history[");
    }

    private BuiltImage Derive(string name, Action<string> plant)
    {
        var ctr = "planted-" + name + "-" + Guid.NewGuid().ToString("N")[..6];
        var tag = "localhost/orders-api-planted:" + name;
        f.First.Runner.Run(Buildah.From(f.FirstImage.LocalTag, ctr));
        plant(ctr);
        f.First.Runner.Run(Buildah.Commit(ctr, tag));
        return f.FirstImage with { LocalTag = tag };
    }

    private void AssertSecretFound(BuiltImage image, string where)
    {
        var verdicts = ImageScanner.Scan(f.First, image);
        Assert.Equal(global::Pipeline.Records.Verdict.Fail, VerdictOf(verdicts, AssessSecrets.Gate));
        var evidence = File.ReadAllText(Path.Combine(ImageScanner.EvidenceDir(f.First.Paths), "secrets.json"));
        Assert.Contains(where, evidence);
        Assert.DoesNotContain(f.Env.SecretValue, evidence);
        Assert.Throws<ImageScanFailedException>(() => ImageScanner.Enforce(verdicts, f.First.Paths));
    }

    private static global::Pipeline.Records.Verdict VerdictOf(IReadOnlyList<GateVerdict> verdicts, string gate) => verdicts.Single(v => v.Gate == gate).Verdict;
}
