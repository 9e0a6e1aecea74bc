using System.Text.Json;
using Orders.Api.Configuration;
using Orders.Api.Http;

namespace Orders.Api.Flags;

/// <summary>
/// Polls the mounted flags file (ORDERS_FLAGS_FILE). Polling, not FileSystemWatcher: a ConfigMap update is an
/// atomic symlink swap that inotify on a bind mount often misses, and a missed event would leave an instance on
/// stale flags with nothing in the logs. An unreadable or invalid file keeps the last good values.
/// </summary>
public sealed class FlagsFileWatcher(AppSettings settings, FeatureFlags flags, ILogger<FlagsFileWatcher> logger) : BackgroundService
{
    string? _lastContent;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.FlagsFile is null)
        {
            logger.LogInformation("No flags file configured ({Variable}); using default flag values", AppSettings.FlagsFileVar);
            return;
        }
        Reload(); // before the first request: runs synchronously inside StartAsync
        using var timer = new PeriodicTimer(settings.FlagsPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Reload();
        }
        catch (OperationCanceledException) { }
    }

    internal void Reload()
    {
        string content;
        try
        {
            content = File.Exists(settings.FlagsFile) ? File.ReadAllText(settings.FlagsFile!) : "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot read flags file {Path}: {Error}; keeping the current flags", settings.FlagsFile, ex.Message);
            return;
        }
        if (content == _lastContent) return;

        FlagsDocument next;
        try
        {
            next = content.Trim().Length == 0
                ? new FlagsDocument((bool?)null)
                : JsonSerializer.Deserialize(content, AppJsonContext.Default.FlagsDocument) ?? new FlagsDocument((bool?)null);
        }
        catch (JsonException ex)
        {
            _lastContent = content; // warn once per bad version of the file, not every poll
            logger.LogWarning("Invalid flags file {Path}: {Error}; keeping the current flags", settings.FlagsFile, ex.Message);
            return;
        }

        var previous = flags.Current;
        _lastContent = content;
        flags.Replace(next);
        if (previous.ReadTotalFromCents != next.ReadTotalFromCents)
            logger.LogWarning("Feature flag {Flag} changed from {Old} to {New}", "readTotalFromCents",
                previous.ReadTotalFromCents?.ToString() ?? "default", next.ReadTotalFromCents?.ToString() ?? "default");
    }
}
