using Orders.Api.Configuration;

namespace Orders.Api.Http;

/// <summary>
/// X-App-Version on every response (errors included): during a canary the only way to tell which version
/// answered a failing request is the response itself.
/// </summary>
public sealed class VersionHeaderMiddleware(RequestDelegate next, BuildInfo build)
{
    public const string HeaderName = "X-App-Version";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var (ctx, version) = ((HttpContext, string))state;
            ctx.Response.Headers[HeaderName] = version;
            return Task.CompletedTask;
        }, (context, build.Version));
        return next(context);
    }
}
