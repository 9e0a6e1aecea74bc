namespace Orders.Api.Metrics;

/// <summary>
/// At startup, before the listener opens, every (route template, method) the app serves gets its zero-valued
/// 2xx/4xx/5xx series (<see cref="RequestMetrics.Precreate"/>): the first scrape of a new instance already holds
/// the 0 that <c>increase()</c> needs to count that instance's first error.
/// The routes come from the app's own endpoint table, so a new endpoint is covered without touching this file.
/// </summary>
public static class RequestSeriesPrecreation
{
    public static WebApplication PrecreateRequestSeries(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<RequestMetrics>();
        foreach (var (route, method) in ServedRoutes(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)))
            metrics.Precreate(route, method);
        return app;
    }

    /// <summary>Route templates and methods as <see cref="RequestMetricsMiddleware"/> labels them; probes and scrapes excluded.</summary>
    public static IEnumerable<(string Route, string Method)> ServedRoutes(IEnumerable<Endpoint> endpoints) =>
        endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !RequestMetricsMiddleware.IsInfrastructure(Normalize(raw)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => (e.RoutePattern.RawText!, RequestMetricsMiddleware.NormalizeMethod(m))))
            .Distinct()
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal);

    static PathString Normalize(string rawText) => new(rawText.StartsWith('/') ? rawText : "/" + rawText);
}
