using Pipeline.Config;
using Pipeline.SingleHost;
using Pipeline.Tests.SingleHost.Support;

namespace Pipeline.Tests.SingleHost;

public sealed class ConfigRenderingTests
{
    private static SingleHostLayout Layout(int replicas = 3)
    {
        var c = ConfigLoader.Parse(TestEnvironmentFile.Yaml("unit", replicas: replicas), "/envs/unit.yaml", "unit");
        c.SingleHost.LoadBalancerPort = 8080; c.SingleHost.StatsPort = 8404; c.SingleHost.AppPortBase = 18000;
        return new SingleHostLayout(c, "/state/unit");
    }

    [Fact]
    public void HAProxy_declares_every_slot_disabled_in_both_backends_with_the_health_check_contract()
    {
        var cfg = HaproxyConfig.Render(Layout());
        Assert.Contains("    server s0 127.0.0.1:18000 check disabled\n", cfg);
        Assert.Contains("    server s7 127.0.0.1:18007 check disabled\n", cfg); // 2×3+2 slots
        Assert.DoesNotContain("server s8 ", cfg);
        Assert.Equal(2 * 8, cfg.Split('\n').Count(l => l.TrimStart().StartsWith("server s", StringComparison.Ordinal)));
        Assert.Equal(2, cfg.Split("option httpchk GET /healthz/ready").Length - 1);
        Assert.Contains("http-check expect status 200", cfg);
        Assert.Contains("default-server inter 1s fall 2 rise 2 weight 100\n", cfg);
        Assert.Contains("retry-on conn-failure empty-response", cfg);
        Assert.Contains("option redispatch", cfg);
    }

    [Fact]
    public void HAProxy_binds_loopback_only_routes_the_preview_header_and_exposes_admin_socket_and_metrics()
    {
        var cfg = HaproxyConfig.Render(Layout());
        Assert.All(cfg.Split('\n').Where(l => l.TrimStart().StartsWith("bind ", StringComparison.Ordinal)), l => Assert.Contains("127.0.0.1:", l));
        Assert.Contains("acl preview req.hdr(X-Canary) -m str always", cfg);
        Assert.Contains("use_backend canary_preview if preview", cfg);
        Assert.Contains("default_backend app", cfg);
        Assert.Contains("stats socket /state/unit/haproxy/admin.sock mode 600 level admin expose-fd listeners", cfg);
        Assert.Contains("http-request use-service prometheus-exporter if { path /metrics }", cfg);
        Assert.Contains("bind 127.0.0.1:8404", cfg);
    }

    [Fact]
    public void HAProxy_rendering_is_deterministic() => Assert.Equal(HaproxyConfig.Render(Layout()), HaproxyConfig.Render(Layout()));

    [Fact]
    public void Prometheus_scrapes_file_sd_targets_and_haproxy_every_second()
    {
        var yml = PrometheusConfig.Render(Layout());
        Assert.Contains("scrape_interval: 1s", yml);
        Assert.Contains("- files: ['/state/unit/prometheus/targets.json']", yml);
        Assert.Contains("- targets: ['127.0.0.1:8404']", yml);
    }

    [Fact]
    public void Prometheus_targets_carry_slot_version_and_track_labels()
    {
        var json = PrometheusConfig.RenderTargets(Layout(), [new ScrapeTarget(4, 18004, "1.2.0", "canary"), new ScrapeTarget(0, 18000, "1.1.0", "stable")]);
        Assert.Equal("""
            [
              {
                "targets": [
                  "127.0.0.1:18000"
                ],
                "labels": {
                  "env": "unit",
                  "slot": "s0",
                  "track": "stable",
                  "version": "1.1.0"
                }
              },
              {
                "targets": [
                  "127.0.0.1:18004"
                ],
                "labels": {
                  "env": "unit",
                  "slot": "s4",
                  "track": "canary",
                  "version": "1.2.0"
                }
              }
            ]

            """.Replace("\r\n", "\n"), json);
    }
}
