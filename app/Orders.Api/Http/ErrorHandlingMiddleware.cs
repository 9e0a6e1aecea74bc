using Npgsql;

namespace Orders.Api.Http;

/// <summary>
/// Last line of defence: an unhandled exception becomes problem+json. A database outage is a 503 (clients and
/// the load balancer may retry elsewhere), anything else a 500 whose detail leaks nothing.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var (status, title) = ex switch
            {
                BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
                NpgsqlException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "Database unavailable"),
                _ => (StatusCodes.Status500InternalServerError, "Internal server error"),
            };
            if (status >= 500) logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            context.Response.Clear(); // also clears headers; the version header is re-added in OnStarting
            await TypedResults.Problem(statusCode: status, title: title).ExecuteAsync(context);
        }
    }
}
