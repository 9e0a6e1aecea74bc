using Orders.Api.Configuration;
using Orders.Api.Health;

namespace Orders.Api.Shutdown;

/// <summary>
/// SIGTERM handling. Kubernetes removes a terminating pod from Service endpoints asynchronously: for a few
/// seconds after SIGTERM, proxies still send it new connections. Closing the listener at once turns those
/// into connection errors during every rollout. So: readiness goes red immediately, the server keeps
/// accepting for ORDERS_DRAIN_DELAY_SECONDS, and only then does the host stop Kestrel, which refuses new
/// connections and lets in-flight requests finish. HostOptions.ShutdownTimeout (ORDERS_SHUTDOWN_TIMEOUT_SECONDS)
/// bounds the whole sequence and must be shorter than the pod's terminationGracePeriodSeconds.
/// </summary>
public sealed class DrainOnShutdown(ReadinessState readiness, AppSettings settings, IHostApplicationLifetime lifetime, ILogger<DrainOnShutdown> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires first on SIGTERM, before any hosted service is asked to stop.
        lifetime.ApplicationStopping.Register(readiness.BeginDraining);
        lifetime.ApplicationStarted.Register(readiness.MarkStarted);
        return Task.CompletedTask;
    }

    /// <summary>Runs before any StopAsync, i.e. while Kestrel is still accepting.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.BeginDraining();
        try
        {
            await Task.Delay(settings.DrainDelay, cancellationToken);
        }
        catch (OperationCanceledException) { }
        logger.LogWarning("Drain delay over: closing listeners; in-flight requests get the rest of the {Timeout} s shutdown timeout",
            settings.ShutdownTimeout.TotalSeconds);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
