using Orders.Api.Configuration;
using Orders.Api.Health;
using Prometheus;

namespace Orders.Api.Metrics;

/// <summary>
/// The app's own gauges: <c>app_info{version,schema_min,schema_max} 1</c>, <c>app_ready</c>, <c>app_draining</c>,
/// <c>app_fault_error_rate</c>, <c>app_fault_extra_latency_seconds</c>. Readiness is read, never awaited, at
/// scrape time: <c>app_ready</c> is the last verdict, and the scrape only kicks a background refresh (see
/// <see cref="ReadinessState.RefreshInBackground"/>), so /metrics answers in the same time whether the
/// database is fast, slow or gone.
/// </summary>
public sealed class AppGauges
{
    public AppGauges(CollectorRegistry registry, BuildInfo build, AppSettings settings, ReadinessState readiness)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        factory.CreateGauge("app_info", "Build information: version and the schema versions it supports.",
                new GaugeConfiguration { LabelNames = ["version", "schema_min", "schema_max"] })
            .WithLabels(build.Version, build.Schema.Min.ToString(System.Globalization.CultureInfo.InvariantCulture),
                build.Schema.Max.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set(1);
        var ready = factory.CreateGauge("app_ready", "1 when the last /healthz/ready verdict was green (refreshed in the background on every scrape).");
        var draining = factory.CreateGauge("app_draining", "1 after SIGTERM, while the instance drains.");
        factory.CreateGauge("app_fault_error_rate", "Injected error rate (0 unless a drill is configured).").Set(settings.FaultErrorRate);
        factory.CreateGauge("app_fault_extra_latency_seconds", "Injected extra latency per request.").Set(settings.FaultExtraLatencyMs / 1000.0);

        registry.AddBeforeCollectCallback(() =>
        {
            ready.Set(readiness.LastReady ? 1 : 0);
            draining.Set(readiness.IsDraining ? 1 : 0);
            readiness.RefreshInBackground();
        });
    }
}
