using System.Diagnostics;
using Npgsql;
using Orders.Api.Configuration;
using Orders.Api.Data;

namespace Orders.Api.Health;

public sealed record ReadinessReport(string Status, string Version, int SchemaMin, int SchemaMax, int? Schema, string? Reason)
{
    public bool Ready => Status == "ready";
}

public sealed record LivenessReport(string Status, string Version);

/// <summary>
/// Whether this instance should receive traffic. Red while warming up, while draining, when the database is
/// unreachable, and when the schema version is outside this build's contract (an old image that would fail
/// every write must not join the load balancer). The database check is cached for a second and serialized,
/// so a burst of probes (kubelet, load balancer, gate) costs at most one query per second.
/// </summary>
public sealed class ReadinessState(NpgsqlDataSource db, BuildInfo build, AppSettings settings, ILogger<ReadinessState> logger)
{
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    readonly SemaphoreSlim _gate = new(1, 1);
    volatile bool _draining;
    long _startedAt = -1;
    ReadinessReport? _dbReport;
    long _dbReportAt;
    string? _lastLogged;

    public bool IsDraining => _draining;

    /// <summary>The last verdict handed out, for the app_ready gauge.</summary>
    public bool LastReady { get; private set; }

    int _refreshing;
    Task<ReadinessReport>? _pendingCheck;

    volatile bool _warm;
    volatile string? _warmupError;

    /// <summary><see cref="StartupWarmup"/> is done: the database check alone decides from now on.</summary>
    public void MarkWarm() => _warm = true;

    /// <summary>Why the last warm-up attempt failed (shown in the red verdict while it retries).</summary>
    public void WarmupFailed(string error) => _warmupError = error;

    /// <summary>Called when Kestrel is listening: the warm-up delay counts from here.</summary>
    public void MarkStarted() => Interlocked.CompareExchange(ref _startedAt, Stopwatch.GetTimestamp(), -1);

    /// <summary>Inside the injected cold start (<see cref="AppSettings.FaultColdStart"/>): not yet able to serve.</summary>
    public bool InColdStart
    {
        get
        {
            if (settings.FaultColdStart <= TimeSpan.Zero) return false;
            var started = Interlocked.Read(ref _startedAt);
            return started < 0 || Stopwatch.GetElapsedTime(started) < settings.FaultColdStart;
        }
    }

    /// <summary>First thing on SIGTERM: stop receiving new traffic before anything else stops.</summary>
    public void BeginDraining()
    {
        if (_draining) return;
        _draining = true;
        LastReady = false;
        logger.LogWarning("Draining: readiness is now red; still serving for {DrainSeconds} s", settings.DrainDelay.TotalSeconds);
    }

    public async Task<ReadinessReport> EvaluateAsync()
    {
        var report = await EvaluateCoreAsync();
        LastReady = report.Ready && !_draining;
        var summary = report.Ready ? "ready" : report.Reason;
        if (summary != _lastLogged)
        {
            _lastLogged = summary;
            if (report.Ready) logger.LogInformation("Readiness is green (schema {Schema}, supported {Range})", report.Schema, build.Schema);
            else logger.LogWarning("Readiness is red: {Reason}", report.Reason);
        }
        return report;
    }

    /// <summary>
    /// Starts an evaluation in the background (at most one at a time) and returns at once, so that
    /// <see cref="LastReady"/> follows the database without the caller waiting for it. WHY: /metrics used to await
    /// the readiness check, so a database that hangs (2 s check timeout) made every scrape slow or time out, and
    /// a slow database blinded the canary gate exactly when it needed to see the errors.
    /// </summary>
    public void RefreshInBackground()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try { await EvaluateAsync(); }
            // Database errors are already a red verdict inside EvaluateAsync; what reaches here is the data source
            // disposed under a scrape during shutdown. Never let it escape into an unobserved task.
            catch (Exception ex) { logger.LogDebug("Background readiness check ended: {Error}", ex.Message); }
            finally { Volatile.Write(ref _refreshing, 0); }
        });
    }

    /// <summary>The database's verdict, held red while <see cref="StartupWarmup"/> has not finished (it needs the database).</summary>
    async Task<ReadinessReport> EvaluateCoreAsync()
    {
        var report = await EvaluateDatabaseAsync();
        if (!report.Ready || _warm) return report;
        return NotReady(_warmupError is { } error ? $"warming up (last attempt: {error})" : "warming up (write path, connections)", report.Schema);
    }

    async Task<ReadinessReport> EvaluateDatabaseAsync()
    {
        if (_draining) return NotReady("draining (shutting down)", _dbReport?.Schema);
        var started = Interlocked.Read(ref _startedAt);
        if (started < 0) return NotReady("starting", null);
        var warm = Stopwatch.GetElapsedTime(started);
        if (warm < settings.WarmupDelay)
            return NotReady($"warming up ({(settings.WarmupDelay - warm).TotalSeconds:0.0} s left)", null);
        if (warm < settings.FaultColdStart)
            return NotReady($"cold start ({AppSettings.FaultColdStartVar}, {(settings.FaultColdStart - warm).TotalSeconds:0.0} s left)", null);

        if (_dbReport is { } cached && Stopwatch.GetElapsedTime(_dbReportAt) < CacheFor) return cached;
        await _gate.WaitAsync();
        try
        {
            if (_dbReport is { } fresh && Stopwatch.GetElapsedTime(_dbReportAt) < CacheFor) return fresh;
            var report = await BoundedCheckAsync();
            _dbReport = report;
            _dbReportAt = Stopwatch.GetTimestamp();
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The database check, answered within <see cref="CheckTimeout"/> whatever the database does. WHY: against
    /// a database that accepts connections but never answers (paused, stuck), Npgsql's cancellation itself waits
    /// for the server, and a check took 33 s (measured) while every probe queued behind it. A check that overruns
    /// keeps running in the background and is reused by the next evaluation instead of starting another, so a
    /// hanging database holds at most one pooled connection here.
    /// </summary>
    async Task<ReadinessReport> BoundedCheckAsync()
    {
        if (_pendingCheck is not { IsCompleted: false }) _pendingCheck = CheckDatabaseAsync();
        try
        {
            return await _pendingCheck.WaitAsync(CheckTimeout);
        }
        catch (TimeoutException)
        {
            return NotReady($"database unreachable: no answer within {CheckTimeout.TotalSeconds:0} s", null);
        }
    }

    async Task<ReadinessReport> CheckDatabaseAsync()
    {
        using var timeout = new CancellationTokenSource(CheckTimeout);
        try
        {
            await using var connection = await db.OpenConnectionAsync(timeout.Token);
            var schema = await Database.ReadSchemaVersionAsync(connection, timeout.Token);
            return build.Schema.Contains(schema)
                ? new ReadinessReport("ready", build.Version, build.Schema.Min, build.Schema.Max, schema, null)
                : NotReady($"schema version {schema} is outside the supported range {build.Schema}", schema);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // Drop idle pooled connections: after a database restart they are all dead, and the next check
            // should dial fresh instead of failing on each stale one in turn.
            db.Clear();
            return NotReady($"database unreachable: {ex.GetType().Name}: {ex.Message}", null);
        }
    }

    ReadinessReport NotReady(string reason, int? schema) =>
        new("not_ready", build.Version, build.Schema.Min, build.Schema.Max, schema, reason);
}
