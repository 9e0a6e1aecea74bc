using System.Globalization;
using Npgsql;

namespace Orders.Api.Configuration;

/// <summary>
/// Every setting comes from an environment variable (names are a contract with the pipeline and the chart:
/// see docs/APP.md). Validation collects every problem and names the variable, so a bad rollout fails at
/// startup with one readable message instead of a crash loop that only shows a stack trace.
/// Not a record on purpose: a generated ToString would print the password.
/// </summary>
public sealed class AppSettings
{
    public const string DbHostVar = "ORDERS_DB_HOST";
    public const string DbPortVar = "ORDERS_DB_PORT";
    public const string DbNameVar = "ORDERS_DB_NAME";
    public const string DbUserVar = "ORDERS_DB_USER";
    public const string DbPasswordFileVar = "ORDERS_DB_PASSWORD_FILE";
    public const string DbMaxPoolSizeVar = "ORDERS_DB_MAX_POOL_SIZE";
    public const string DrainDelayVar = "ORDERS_DRAIN_DELAY_SECONDS";
    public const string ShutdownTimeoutVar = "ORDERS_SHUTDOWN_TIMEOUT_SECONDS";
    public const string WarmupDelayVar = "ORDERS_WARMUP_DELAY_SECONDS";
    public const string FlagsFileVar = "ORDERS_FLAGS_FILE";
    public const string FaultErrorRateVar = "ORDERS_FAULT_ERROR_RATE";
    public const string FaultExtraLatencyVar = "ORDERS_FAULT_EXTRA_LATENCY_MS";
    public const string FaultAfterRequestsVar = "ORDERS_FAULT_AFTER_REQUESTS";
    public const string FaultColdStartVar = "ORDERS_FAULT_COLD_START_SECONDS";
    public const string InstanceIdVar = "ORDERS_INSTANCE_ID";
    public const string MaxBodyBytesVar = "ORDERS_MAX_BODY_BYTES";
    public const string HeartbeatSecondsVar = "ORDERS_HEARTBEAT_SECONDS";
    public const string InstanceStaleSecondsVar = "ORDERS_INSTANCE_STALE_SECONDS";
    public const string BackfillBatchSizeVar = "ORDERS_BACKFILL_BATCH_SIZE";
    public const string IdempotencyRetentionHoursVar = "ORDERS_IDEMPOTENCY_RETENTION_HOURS";
    public const string IdempotencySweepSecondsVar = "ORDERS_IDEMPOTENCY_SWEEP_SECONDS";
    public const string IdempotencySweepBatchVar = "ORDERS_IDEMPOTENCY_SWEEP_BATCH";

    public required string DbHost { get; init; }
    public required int DbPort { get; init; }
    public required string DbName { get; init; }
    public required string DbUser { get; init; }
    public required string DbPasswordFile { get; init; }
    /// <summary>Read from the file at startup; never logged, never part of the image or its env.</summary>
    public required string DbPassword { get; init; }
    public required int DbMaxPoolSize { get; init; }
    public required TimeSpan DrainDelay { get; init; }
    public required TimeSpan ShutdownTimeout { get; init; }
    public required TimeSpan WarmupDelay { get; init; }
    public string? FlagsFile { get; init; }
    public required double FaultErrorRate { get; init; }
    public required int FaultExtraLatencyMs { get; init; }
    /// <summary>Faults start after this many API requests: a release that passes its smoke test and goes bad under real traffic.</summary>
    public int FaultAfterRequests { get; init; }
    /// <summary>
    /// Listening but unable to serve for this long after start (API requests 503, readiness red): the app that loads
    /// a cache before it can answer. Drills only — it is what a missing readiness gate turns into user-facing errors.
    /// </summary>
    public TimeSpan FaultColdStart { get; init; }
    public required string InstanceId { get; init; }
    public required long MaxBodyBytes { get; init; }
    public required TimeSpan HeartbeatInterval { get; init; }
    public required TimeSpan InstanceStaleAfter { get; init; }
    public required int BackfillBatchSize { get; init; }
    public required TimeSpan IdempotencyRetention { get; init; }
    public required TimeSpan IdempotencySweepInterval { get; init; }
    public required int IdempotencySweepBatch { get; init; }

    /// <summary>How often the flags file is re-read. Not an env var: tests shorten it.</summary>
    public TimeSpan FlagsPollInterval { get; internal set; } = TimeSpan.FromSeconds(2);

    public bool FaultsEnabled => FaultErrorRate > 0 || FaultExtraLatencyMs > 0 || FaultColdStart > TimeSpan.Zero;

    public static AppSettings FromEnvironment() => Load(Environment.GetEnvironmentVariable);

    /// <summary>Parses and validates; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public static AppSettings Load(Func<string, string?> env)
    {
        var errors = new List<string>();
        var host = Required(env, DbHostVar, "the PostgreSQL host name", errors);
        var port = Int(env, DbPortVar, 5432, 1, 65535, errors);
        var name = Required(env, DbNameVar, "the database name", errors);
        var user = Required(env, DbUserVar, "the database role", errors);
        var passwordFile = Required(env, DbPasswordFileVar, "path of a file holding the database password, e.g. /run/secrets/db-password", errors);
        var password = passwordFile.Length == 0 ? "" : ReadPassword(passwordFile, errors);
        var drain = Int(env, DrainDelayVar, 5, 0, 300, errors);
        var shutdown = Int(env, ShutdownTimeoutVar, 20, 1, 600, errors);
        if (drain >= 0 && shutdown > 0 && drain >= shutdown)
            errors.Add($"{ShutdownTimeoutVar} ({shutdown}) must be greater than {DrainDelayVar} ({drain}): the drain is part of the shutdown budget, and in-flight requests need time after it.");

        var flagsFile = env(FlagsFileVar);
        var instanceId = env(InstanceIdVar);
        if (string.IsNullOrWhiteSpace(instanceId)) instanceId = Environment.MachineName;
        else if (instanceId.Length > 200) errors.Add($"{InstanceIdVar} must be at most 200 characters.");
        // It is sent as the X-Instance response header: a value Kestrel refuses in a header (spaces, control or
        // non-ASCII characters) would make every response fail, so it is refused here, at startup, instead.
        else if (instanceId.Any(c => c is < '!' or > '~')) errors.Add($"{InstanceIdVar} must be visible ASCII without spaces (got '{instanceId}').");

        var settings = new AppSettings
        {
            DbHost = host,
            DbPort = port,
            DbName = name,
            DbUser = user,
            DbPasswordFile = passwordFile,
            DbPassword = password,
            DbMaxPoolSize = Int(env, DbMaxPoolSizeVar, 50, 1, 1000, errors),
            DrainDelay = TimeSpan.FromSeconds(drain),
            ShutdownTimeout = TimeSpan.FromSeconds(shutdown),
            WarmupDelay = TimeSpan.FromSeconds(Int(env, WarmupDelayVar, 0, 0, 600, errors)),
            FlagsFile = string.IsNullOrWhiteSpace(flagsFile) ? null : flagsFile,
            FaultErrorRate = Double(env, FaultErrorRateVar, 0, 0, 1, errors),
            FaultExtraLatencyMs = Int(env, FaultExtraLatencyVar, 0, 0, 60_000, errors),
            FaultAfterRequests = Int(env, FaultAfterRequestsVar, 0, 0, 1_000_000, errors),
            FaultColdStart = TimeSpan.FromSeconds(Int(env, FaultColdStartVar, 0, 0, 600, errors)),
            InstanceId = instanceId,
            MaxBodyBytes = Int(env, MaxBodyBytesVar, 64 * 1024, 256, 16 * 1024 * 1024, errors),
            HeartbeatInterval = TimeSpan.FromSeconds(Int(env, HeartbeatSecondsVar, 5, 1, 300, errors)),
            InstanceStaleAfter = TimeSpan.FromSeconds(Int(env, InstanceStaleSecondsVar, 30, 1, 3600, errors)),
            BackfillBatchSize = Int(env, BackfillBatchSizeVar, 5000, 1, 1_000_000, errors),
            IdempotencyRetention = TimeSpan.FromHours(Int(env, IdempotencyRetentionHoursVar, 24, 1, 24 * 90, errors)),
            IdempotencySweepInterval = TimeSpan.FromSeconds(Int(env, IdempotencySweepSecondsVar, 60, 1, 3600, errors)),
            IdempotencySweepBatch = Int(env, IdempotencySweepBatchVar, 1000, 1, 100_000, errors),
        };
        if (errors.Count > 0) throw new ConfigurationException(errors);
        return settings;
    }

    public string ConnectionString(string applicationName) => new NpgsqlConnectionStringBuilder
    {
        Host = DbHost,
        Port = DbPort,
        Database = DbName,
        Username = DbUser,
        Password = DbPassword,
        ApplicationName = applicationName,
        MaxPoolSize = DbMaxPoolSize,
        // Fail fast when the DB is unreachable: a probe or request must not hang for the 15 s default.
        Timeout = 3,
        CommandTimeout = 30,
    }.ConnectionString;

    static string Required(Func<string, string?> env, string variable, string what, List<string> errors)
    {
        var value = env(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
        errors.Add($"{variable} is required ({what}).");
        return "";
    }

    static int Int(Func<string, string?> env, string variable, int fallback, int min, int max, List<string> errors)
    {
        var raw = env(variable);
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors.Add($"{variable} must be an integer between {min} and {max} (got '{raw}').");
        return fallback;
    }

    static double Double(Func<string, string?> env, string variable, double fallback, double min, double max, List<string> errors)
    {
        var raw = env(variable);
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors.Add($"{variable} must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got '{raw}').");
        return fallback;
    }

    static string ReadPassword(string path, List<string> errors)
    {
        try
        {
            // Secrets mounted from files usually end with a newline; the password itself never does.
            var password = File.ReadAllText(path).TrimEnd('\r', '\n');
            if (password.Length == 0) errors.Add($"{DbPasswordFileVar} points to an empty file ({path}).");
            return password;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{DbPasswordFileVar} points to a file that cannot be read ({path}): {ex.GetType().Name}.");
            return "";
        }
    }
}

public sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
