using System.Text;
using Microsoft.AspNetCore.Mvc;
using Orders.Api.Configuration;
using Orders.Api.Health;

namespace Orders.Api.Metrics;

/// <summary>Prometheus text format 0.0.4, written by hand.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async ([FromServices] RequestMetrics metrics, [FromServices] ReadinessState readiness,
            [FromServices] BuildInfo build, [FromServices] AppSettings settings) =>
        {
            await readiness.EvaluateAsync(); // cached: at most one DB query per second
            var text = new StringBuilder(4096);
            metrics.WriteTo(text);
            text.Append("# HELP app_info Build information: version and the schema versions it supports.\n");
            text.Append("# TYPE app_info gauge\n");
            text.Append("app_info{version=\"").Append(RequestMetrics.Escape(build.Version))
                .Append("\",schema_min=\"").Append(build.Schema.Min)
                .Append("\",schema_max=\"").Append(build.Schema.Max).Append("\"} 1\n");
            text.Append("# HELP app_ready 1 when /healthz/ready is green.\n");
            text.Append("# TYPE app_ready gauge\n");
            text.Append("app_ready ").Append(readiness.LastReady ? 1 : 0).Append('\n');
            text.Append("# HELP app_draining 1 after SIGTERM, while the instance drains.\n");
            text.Append("# TYPE app_draining gauge\n");
            text.Append("app_draining ").Append(readiness.IsDraining ? 1 : 0).Append('\n');
            text.Append("# HELP app_fault_error_rate Injected error rate (0 unless a drill is configured).\n");
            text.Append("# TYPE app_fault_error_rate gauge\n");
            text.Append("app_fault_error_rate ").Append(RequestMetrics.Format(settings.FaultErrorRate)).Append('\n');
            text.Append("# HELP app_fault_extra_latency_seconds Injected extra latency per request.\n");
            text.Append("# TYPE app_fault_extra_latency_seconds gauge\n");
            text.Append("app_fault_extra_latency_seconds ").Append(RequestMetrics.Format(settings.FaultExtraLatencyMs / 1000.0)).Append('\n');
            return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        });
        return app;
    }
}
