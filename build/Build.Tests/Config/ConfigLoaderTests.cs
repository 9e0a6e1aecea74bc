using Pipeline.Config;

namespace Pipeline.Tests.Config;

public class ConfigLoaderTests
{
    private static readonly string EnvironmentsDir = Path.Combine(BuildPaths.Discover("local").RepoRoot, "build", "environments");
    private static string Local => File.ReadAllText(Path.Combine(EnvironmentsDir, "local.yaml"));
    private static string Prod => File.ReadAllText(Path.Combine(EnvironmentsDir, "prod.yaml"));
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static ConfigException Invalid(string yaml, string name = "local") =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "/cfg/" + name + ".yaml", name));

    [Theory]
    [InlineData("local", TargetKind.SingleHost)]
    [InlineData("dev", TargetKind.Kubernetes)]
    [InlineData("staging", TargetKind.Kubernetes)]
    [InlineData("prod", TargetKind.Kubernetes)]
    public void Every_committed_environment_loads(string name, TargetKind target)
    {
        var file = Path.Combine(EnvironmentsDir, name + ".yaml");
        var config = ConfigLoader.Parse(File.ReadAllText(file), file, name);
        Assert.Equal(name, config.Name);
        Assert.Equal(target, config.Target);
        Assert.Equal(file, config.SourceFile);
    }

    [Fact]
    public void Prod_is_the_strictest_environment()
    {
        var prod = ConfigLoader.Parse(Prod, "prod.yaml", "prod");
        Assert.True(prod.Gates.RequireApproval);
        Assert.Equal(ScannerPolicy.Required, prod.Gates.Scan.CveScanner);
        var friday = Assert.Single(prod.Gates.DenyWindows, w => w.Days.Contains(DayOfWeek.Friday));
        Assert.Equal(("12:00", "23:59"), (friday.From, friday.To));
        Assert.Equal([5, 10, 25, 50, 100], prod.Strategy.Steps);
    }

    [Fact]
    public void Unknown_top_level_key_names_file_key_line_and_allowed_keys()
    {
        var e = Invalid(Local.Replace("replicas: 3", "replicas: 3\nreplicaz: 2"));
        Assert.StartsWith("/cfg/local.yaml: line 9, column 1: unknown key 'replicaz'", e.Message);
        Assert.Contains("replicas", e.Message);
    }

    [Fact]
    public void Unknown_nested_key_names_the_dotted_path()
    {
        var e = Invalid(Local.Replace("  maxSurge: 1", "  maxSurge: 1\n  maxsurge: 2"));
        Assert.Contains("/cfg/local.yaml: line 12, column 3: unknown key 'strategy.maxsurge'", e.Message);
        Assert.Contains("allowed under 'strategy': kind, maxSurge", e.Message);
    }

    [Fact]
    public void Wrong_type_names_key_and_expected_type()
    {
        var e = Invalid(Local.Replace("replicas: 3", "replicas: three"));
        Assert.Contains("/cfg/local.yaml: line 8, column 11: key 'replicas': invalid value, expected a whole number", e.Message);
    }

    [Fact]
    public void Unknown_enum_value_lists_the_allowed_ones()
    {
        var e = Invalid(Local.Replace("kind: canary", "kind: canari"));
        Assert.Contains("key 'strategy.kind': invalid value, expected one of: rolling, blue-green, canary", e.Message);
    }

    [Fact]
    public void Scalar_where_a_list_belongs_names_the_key()
    {
        var e = Invalid(Local.Replace("steps: [10, 25, 50, 100]", "steps: 5"));
        Assert.Contains("key 'strategy.steps': invalid value, expected a list of whole numbers", e.Message);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void Tag_instead_of_digest_in_image_deploy_is_refused()
    {
        var e = Invalid(Local.Replace("  base: local", "  base: local\n  deploy: localhost:5000/orders-api:1.2.0"));
        Assert.Contains("/cfg/local.yaml: invalid configuration", e.Message);
        Assert.Contains("image.deploy: 'localhost:5000/orders-api:1.2.0' is not a digest reference", e.Message);
    }

    [Fact]
    public void Tag_plus_digest_in_image_base_is_refused_and_plain_digest_accepted()
    {
        var e = Invalid(Local.Replace("  base: local", "  base: debian:12@" + Digest));
        Assert.Contains("image.base:", e.Message);
        var ok = ConfigLoader.Parse(Local.Replace("  base: local", "  base: localhost:5000/base@" + Digest), "local.yaml", "local");
        Assert.Equal("localhost:5000/base@" + Digest, ok.Image.Base);
    }

    [Theory]
    [InlineData("[5, 25, 25, 100]", "strategy.steps: weights must increase")]
    [InlineData("[50, 25, 100]", "strategy.steps: weights must increase")]
    [InlineData("[5, 25, 50]", "strategy.steps: the last step must be 100")]
    [InlineData("[]", "strategy.steps: a canary needs at least one step")]
    [InlineData("[0, 100]", "strategy.steps: each weight must be between 1 and 100")]
    public void Bad_canary_steps_are_refused(string steps, string error)
    {
        var e = Invalid(Local.Replace("[10, 25, 50, 100]", steps));
        Assert.Contains(error, e.Message);
    }

    [Fact]
    public void Grace_period_not_longer_than_drain_plus_shutdown_is_refused()
    {
        var e = Invalid(Local.Replace("gracePeriodSeconds: 25", "gracePeriodSeconds: 18"));
        Assert.Contains("app.gracePeriodSeconds: 18 must exceed drainDelaySeconds + shutdownTimeoutSeconds (18)", e.Message);
    }

    [Fact]
    public void Pools_that_can_outgrow_postgres_max_connections_are_refused()
    {
        // local: 3 replicas → 8 slots; 8 × 12 + 5 + 3 = 104 > 100.
        var e = Invalid(Local.Replace("dbMaxPoolSize: 4", "dbMaxPoolSize: 12"));
        Assert.Contains("singleHost.postgresMaxConnections: 100 is below what the instances can open: 8 slots × app.dbMaxPoolSize 12 + 5 pipeline sessions + 3 reserved = 104", e.Message);
        Assert.Null(PostgresCapacity.Shortfall(ConfigLoader.Parse(Local.Replace("dbMaxPoolSize: 4", "dbMaxPoolSize: 11"), "local.yaml", "local")));
    }

    [Fact]
    public void Prod_without_approval_is_refused()
    {
        var e = Invalid(Prod.Replace("requireApproval: true", "requireApproval: false"), "prod");
        Assert.Contains("/cfg/prod.yaml: invalid configuration", e.Message);
        Assert.Contains("gates.requireApproval: prod must require a manual approval", e.Message);
    }

    [Fact]
    public void Kubernetes_without_the_clusters_prometheus_is_refused()
    {
        var e = Invalid(System.Text.RegularExpressions.Regex.Replace(Prod, "  prometheusUrl: .*\n", ""), "prod");
        Assert.Contains("kubernetes.prometheusUrl: required for target kubernetes, an absolute http(s) URL (got '')", e.Message);
    }

    [Fact]
    public void Prod_with_a_scanner_that_only_warns_is_refused()
    {
        var e = Invalid(Prod.Replace("cveScanner: required", "cveScanner: warn"), "prod");
        Assert.Contains("gates.scan.cveScanner: prod must be 'required'", e.Message);
    }

    [Fact]
    public void Name_must_match_the_file()
    {
        var e = Invalid(Local.Replace("name: local", "name: prod"));
        Assert.Contains("name: 'prod' must match the file name 'local'", e.Message);
    }

    [Fact]
    public void Deny_window_with_bad_time_zone_or_time_is_refused()
    {
        var yaml = Local.Replace("requireApproval: false",
            "requireApproval: false\n  denyWindows:\n    - days: [friday]\n      from: '25:00'\n      to: '23:59'\n      timeZone: Mars/Olympus\n      reason: test");
        var e = Invalid(yaml);
        Assert.Contains("gates.denyWindows[0].from: '25:00' is not HH:mm", e.Message);
        Assert.Contains("gates.denyWindows[0].timeZone: 'Mars/Olympus' is not a known time zone", e.Message);
    }

    [Fact]
    public void Several_errors_are_reported_at_once()
    {
        var e = Invalid(Local.Replace("replicas: 3", "replicas: 0").Replace("memoryMb: 256", "memoryMb: 8"));
        Assert.Contains("replicas: 0 must be between 1 and 20", e.Message);
        Assert.Contains("resources.memoryMb: must be at least 64", e.Message);
    }

    // The header is pasted into haproxy.cfg: a newline would add directives, '#' would comment the rest of
    // the line out, a quote or a space would change how HAProxy splits the words.
    [Theory]
    [InlineData("\"X-Canary: always\\n    stats admin if TRUE\"", "value")]
    [InlineData("\"X-Canary: always # x\"", "value")]
    [InlineData("\"X-Canary: al\\\"ways\"", "value")]
    [InlineData("\"X-Canary: it's\"", "value")]
    [InlineData("\"X Canary: always\"", "name")]
    [InlineData("\"X-Can#ary: always\"", "name")]
    [InlineData("\"X-Canary: \"", "value")]
    public void Preview_header_that_could_break_haproxy_cfg_is_refused_with_line_and_key(string header, string part)
    {
        var e = Invalid(Local.Replace("previewHeader: \"X-Canary: always\"", "previewHeader: " + header));
        Assert.Contains("/cfg/local.yaml: invalid configuration", e.Message);
        var line = Local.Split('\n').ToList().FindIndex(l => l.Contains("previewHeader")) + 1;
        Assert.Contains($"line {line}: strategy.previewHeader: the header {part} ", e.Message);
    }

    [Theory]
    [InlineData("X-Canary: always", "X-Canary", "always")]
    [InlineData("x-preview-build:  v2.1_rc(3)", "x-preview-build", "v2.1_rc(3)")]
    public void Preview_header_name_token_and_visible_value_are_accepted(string header, string name, string value)
    {
        var c = ConfigLoader.Parse(Local.Replace("previewHeader: \"X-Canary: always\"", $"previewHeader: \"{header}\""), "local.yaml", "local");
        Assert.Equal((name, value), new Pipeline.SingleHost.SingleHostLayout(c, "/tmp/x").PreviewHeader);
    }

    [Fact]
    public void Webhook_must_be_an_http_url()
    {
        var e = Invalid(Local + "\nnotifications:\n  webhookUrl: file:///etc/passwd\n");
        Assert.Contains("notifications.webhookUrl: 'file:///etc/passwd' is not an absolute http(s) URL", e.Message);
    }

    [Fact]
    public void Unknown_environment_names_the_missing_file_and_the_known_ones()
    {
        var dir = Directory.CreateTempSubdirectory("envs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "alpha.yaml"), "");
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(dir, "beta", honourOverride: false));
            Assert.Contains($"Unknown environment 'beta': no {Path.Combine(dir, "beta.yaml")}. Known: alpha.", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Empty_file_is_an_error_naming_the_file()
    {
        var e = Invalid("");
        Assert.Equal("/cfg/local.yaml: the file is empty.", e.Message);
    }
}
