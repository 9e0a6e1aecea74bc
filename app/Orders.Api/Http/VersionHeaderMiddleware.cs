using Orders.Api.Configuration;

namespace Orders.Api.Http;

/// <summary>
/// X-App-Version and X-Instance on every response (errors included): during a canary the only way to tell which
/// version — and which instance behind the load balancer — answered a failing request is the response itself.
/// The drill records X-Instance per request to show which instances served traffic while one was replaced.
/// X-Instance is <c>ORDERS_INSTANCE_ID</c> (the pipeline sets it; Kubernetes can pass the pod name), else the
/// host name (a container's hostname).
/// </summary>
public sealed class VersionHeaderMiddleware(RequestDelegate next, BuildInfo build, AppSettings settings)
{
    public const string HeaderName = "X-App-Version";
    public const string InstanceHeaderName = "X-Instance";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var (ctx, version, instance) = ((HttpContext, string, string))state;
            ctx.Response.Headers[HeaderName] = version;
            ctx.Response.Headers[InstanceHeaderName] = instance;
            return Task.CompletedTask;
        }, (context, build.Version, settings.InstanceId));
        return next(context);
    }
}
