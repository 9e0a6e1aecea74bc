using Orders.Api.Configuration;
using Orders.Api.Health;
using Orders.Api.Http;
using Orders.Api.Metrics;

namespace Orders.Api.Faults;

/// <summary>
/// Drills only: adds latency and/or fails a fraction of requests so rollback gates and alerts can be proven
/// to fire. Off unless ORDERS_FAULT_ERROR_RATE / ORDERS_FAULT_EXTRA_LATENCY_MS are set, announced with a
/// warning at startup, and never applied to health or metrics (a drill must not get the pod killed or hide
/// its own evidence).
/// </summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, AppSettings settings, ReadinessState readiness)
{
    public const string Header = "X-Fault-Injected";

    // Counted per instance: with ORDERS_FAULT_AFTER_REQUESTS the warm-up and smoke requests get through, so the
    // canary gate — not the smoke test — has to catch the regression (a bug that shows only under real traffic).
    private long _apiRequests;

    public async Task InvokeAsync(HttpContext context)
    {
        if (RequestMetricsMiddleware.IsInfrastructure(context.Request.Path))
        {
            await next(context);
            return;
        }
        if (readiness.InColdStart)
        {
            // What an app that listens before it can serve answers: the readiness gate keeps it out of rotation.
            context.Response.Headers[Header] = "true";
            context.Response.Headers.RetryAfter = "1";
            await TypedResults.Problem($"Starting: not able to serve yet (injected by {AppSettings.FaultColdStartVar}, fault drill).",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Starting").ExecuteAsync(context);
            return;
        }
        if (Interlocked.Increment(ref _apiRequests) <= settings.FaultAfterRequests)
        {
            await next(context);
            return;
        }
        if (settings.FaultExtraLatencyMs > 0)
            await Task.Delay(settings.FaultExtraLatencyMs, context.RequestAborted);
        if (settings.FaultErrorRate > 0 && Random.Shared.NextDouble() < settings.FaultErrorRate)
        {
            context.Response.Headers[Header] = "true";
            await TypedResults.Problem("Injected by ORDERS_FAULT_ERROR_RATE (fault drill).",
                statusCode: StatusCodes.Status500InternalServerError, title: "Injected fault").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    public static void WarnIfEnabled(AppSettings settings, ILogger logger)
    {
        if (!settings.FaultsEnabled) return;
        logger.LogWarning(
            "FAULT INJECTION ENABLED: error rate {ErrorRate}, extra latency {LatencyMs} ms on every non-health request after the first {After}; 503 for the first {ColdStart} s after start. Never run this outside a drill.",
            settings.FaultErrorRate, settings.FaultExtraLatencyMs, settings.FaultAfterRequests, settings.FaultColdStart.TotalSeconds);
    }
}
