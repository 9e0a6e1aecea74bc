using System.Diagnostics;

namespace Orders.Api.Metrics;

/// <summary>
/// Times every request and labels it with the route template (/orders/{id}, not the raw path, so ids do not
/// explode the series count). Probes and scrapes are excluded: a kubelet probing every second would otherwise
/// dilute the error rate that the canary gate reads.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, RequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsInfrastructure(context.Request.Path))
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Record(route, NormalizeMethod(context.Request.Method), status, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public static bool IsInfrastructure(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");

    public static string NormalizeMethod(string method) => method switch
    {
        "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS" => method,
        _ => "OTHER",
    };
}
