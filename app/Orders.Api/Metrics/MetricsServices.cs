using Prometheus;

namespace Orders.Api.Metrics;

public static class MetricsServices
{
    /// <summary>
    /// One <see cref="CollectorRegistry"/> per app (never prometheus-net's static default registry): tests run
    /// several apps in one process and each must expose only its own requests.
    ///
    /// What is in it besides our metrics: prometheus-net's process/runtime collector (<c>process_cpu_seconds_total</c>,
    /// <c>process_working_set_bytes</c>, <c>process_open_handles</c>, <c>process_num_threads</c>,
    /// <c>dotnet_collection_count_total</c>, <c>dotnet_total_memory_bytes</c>, …): about 15 series, read on
    /// scrape, useful next to a latency regression (memory, GC, CPU). What is deliberately not in it: the default
    /// registry's EventCounter adapter (an in-process listener polling runtime counters every second, on 2 shared
    /// cores) and Meter adapter (it would re-export ASP.NET Core's and Npgsql's own meters, among them a second
    /// request-duration histogram with other buckets and labels — a second latency truth for a gate to be pointed at).
    /// </summary>
    public static IServiceCollection AddOrdersMetrics(this IServiceCollection services)
    {
        services.AddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<AppGauges>();
        return services;
    }
}
