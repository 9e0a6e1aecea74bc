using Prometheus;

namespace Orders.Api.Metrics;

/// <summary>
/// /metrics served by prometheus-net from this app's registry, always in the Prometheus text format 0.0.4.
/// OpenMetrics is switched off: Prometheus would negotiate it, and OpenMetrics renders bucket bounds differently
/// (<c>le="1.0"</c> instead of <c>le="1"</c>), so instances of the same build scraped by different clients — or
/// a canary next to an older stable — would split one histogram into two label sets under <c>sum by (le)</c>.
/// We publish no exemplars, the only thing OpenMetrics would add.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<CollectorRegistry>();
        app.ServiceProvider.GetRequiredService<AppGauges>(); // registers the gauges and their scrape-time callback
        app.MapMetrics(settings =>
        {
            settings.Registry = registry;
            settings.EnableOpenMetrics = false;
        }, Path);
        return app;
    }
}
