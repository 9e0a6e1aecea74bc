using System.Text.Json;

namespace Pipeline.SingleHost;

/// <summary>One scrape target in file_sd form: the labels the canary gate selects on.</summary>
public sealed record ScrapeTarget(int Slot, int Port, string Version, string Track);

/// <summary>Renders prometheus.yml and the file_sd targets file the pipeline rewrites as instances come and go.</summary>
public static class PrometheusConfig
{
    public static string Render(SingleHostLayout layout) => $"""
        # Rendered by the release pipeline; edits are overwritten.
        global:
          # 1 s: the canary gate counts each step exactly at this resolution (gates.canary.scrapeIntervalSeconds).
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: orders
            metrics_path: /metrics
            file_sd_configs:
              - files: ['{layout.PrometheusTargets}']
                refresh_interval: 1s
          - job_name: haproxy
            metrics_path: /metrics
            static_configs:
              - targets: ['127.0.0.1:{layout.Config.SingleHost.StatsPort}']
                labels:
                  env: '{layout.Env}'

        """.Replace("\r\n", "\n");

    public static string RenderTargets(SingleHostLayout layout, IEnumerable<ScrapeTarget> targets) =>
        JsonSerializer.Serialize(
            targets.OrderBy(t => t.Slot).Select(t => new
            {
                targets = new[] { $"127.0.0.1:{t.Port}" },
                labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["env"] = layout.Env,
                    ["slot"] = SingleHostLayout.ServerOf(t.Slot),
                    ["version"] = t.Version,
                    ["track"] = t.Track,
                },
            }),
            new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
