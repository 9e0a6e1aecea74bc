using Npgsql;
using Orders.Api.Configuration;
using Orders.Api.Data;
using Orders.Api.Faults;
using Orders.Api.Flags;
using Orders.Api.Health;
using Orders.Api.Http;
using Orders.Api.Metrics;
using Orders.Api.Orders;
using Orders.Api.Shutdown;

namespace Orders.Api.Hosting;

/// <summary>Options a test may set; production uses the defaults (listen address from ASPNETCORE_*).</summary>
public sealed record HostOverrides(string? Urls = null, LogLevel MinimumLogLevel = LogLevel.Information);

public static class AppHost
{
    public static WebApplication Build(string[] args, AppSettings settings, BuildInfo build, HostOverrides? overrides = null)
    {
        overrides ??= new HostOverrides();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddOrdersLogging(overrides.MinimumLogLevel);
        builder.AddOrdersHosting(settings, overrides.Urls);
        builder.Services.AddOrdersServices(settings, build);
        var app = builder.Build();
        app.UseOrdersPipeline();
        app.MapHealthApi();
        app.MapMetricsEndpoint();
        app.MapOrdersApi();
        app.PrecreateRequestSeries();
        return app;
    }

    static void AddOrdersLogging(this WebApplicationBuilder builder, LogLevel minimum)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(minimum);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", minimum);
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }

    static void AddOrdersHosting(this WebApplicationBuilder builder, AppSettings settings, string? urls)
    {
        if (urls is not null) builder.WebHost.UseUrls(urls);
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
                 && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
            builder.WebHost.UseSetting("http_ports", "8080");

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The documented limit (ORDERS_MAX_BODY_BYTES) is enforced by JsonBody with a 413 problem+json. Kestrel's
            // hard limit sits 1 MiB above it so that Kestrel can drain the unread rest of a moderately oversized
            // body after the 413: cutting the connection mid-upload makes clients see a broken pipe, not the 413.
            kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes + 1024 * 1024;
        });
        // The whole SIGTERM sequence (drain delay + in-flight requests) must end before the orchestrator's
        // grace period, or the process is SIGKILLed mid-request.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
    }

    static IServiceCollection AddOrdersServices(this IServiceCollection services, AppSettings settings, BuildInfo build)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        services.AddProblemDetails();
        services.AddSingleton(settings);
        services.AddSingleton(build);
        services.AddSingleton<NpgsqlDataSource>(_ => Database.CreateDataSource(settings, build, "web"));
        services.AddSingleton<FeatureFlags>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<ReadinessState>();
        services.AddOrdersMetrics();
        services.AddHostedService<DrainOnShutdown>();
        services.AddHostedService<FlagsFileWatcher>();
        services.AddHostedService<InstanceHeartbeat>();
        services.AddHostedService<StartupWarmup>();
        services.AddSingleton<IdempotencyKeySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyKeySweeper>());
        return services;
    }

    static void UseOrdersPipeline(this WebApplication app)
    {
        app.UseMiddleware<VersionHeaderMiddleware>();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseStatusCodePages(); // empty 404/405 bodies become problem+json
        app.UseRouting();
        app.UseMiddleware<FaultInjectionMiddleware>(); // after routing: faulted requests keep their route label

        var settings = app.Services.GetRequiredService<AppSettings>();
        var build = app.Services.GetRequiredService<BuildInfo>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.Api");
        logger.LogInformation(
            "Orders.Api {Version} (release {Release}, schema {Schema}) instance {InstanceId}; database {Host}:{Port}/{Database} as {User}; drain {Drain} s, shutdown timeout {Shutdown} s, warm-up {Warmup} s",
            build.Version, build.Release, build.Schema, settings.InstanceId, settings.DbHost, settings.DbPort, settings.DbName,
            settings.DbUser, settings.DrainDelay.TotalSeconds, settings.ShutdownTimeout.TotalSeconds, settings.WarmupDelay.TotalSeconds);
        FaultInjectionMiddleware.WarnIfEnabled(settings, logger);
    }
}
