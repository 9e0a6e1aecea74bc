using Microsoft.AspNetCore.Mvc;
using Orders.Api.Configuration;
using Orders.Api.Http;

namespace Orders.Api.Health;

/// <summary>
/// Served in every environment. Liveness never touches the database: restarting every pod because the
/// database blipped turns a database incident into a full outage. Readiness is where dependencies count.
/// </summary>
public static class HealthApi
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(LivePath, ([FromServices] BuildInfo build) =>
            TypedResults.Json(new LivenessReport("alive", build.Version), AppJsonContext.Default.LivenessReport));

        app.MapGet(ReadyPath, async ([FromServices] ReadinessState readiness) =>
        {
            var report = await readiness.EvaluateAsync();
            return TypedResults.Json(report, AppJsonContext.Default.ReadinessReport,
                statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
