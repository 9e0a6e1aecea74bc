namespace Pipeline.Config;

// The declarative source of truth for one environment (build/environments/<name>.yaml).
// The single-host target and the Helm chart's values are both derived from it, so what was
// tested in one environment is exactly what the next one is configured to run.

public enum TargetKind { SingleHost, Kubernetes }
public enum StrategyKind { Rolling, BlueGreen, Canary }
public enum ScannerPolicy { Warn, Required }

public sealed class EnvironmentConfig
{
    public string Name { get; set; } = "";
    public TargetKind Target { get; set; } = TargetKind.SingleHost;
    public ImageConfig Image { get; set; } = new();
    public int Replicas { get; set; } = 2;
    public StrategyConfig Strategy { get; set; } = new();
    public GatesConfig Gates { get; set; } = new();
    public ResourcesConfig Resources { get; set; } = new();
    public AppRuntimeConfig App { get; set; } = new();
    public SingleHostConfig SingleHost { get; set; } = new();
    public KubernetesConfig Kubernetes { get; set; } = new();
    public NotificationsConfig Notifications { get; set; } = new();

    /// <summary>The file this configuration was read from (for error messages and the run record).</summary>
    [YamlDotNet.Serialization.YamlIgnore] public string SourceFile { get; set; } = "";
}

public sealed class ImageConfig
{
    /// <summary>Registry host[:port] the release is pushed to and deployed from.</summary>
    public string Registry { get; set; } = "localhost:5000";
    public string Repository { get; set; } = "orders-api";
    /// <summary>Runtime base: "local" builds the distroless-style base from pinned Debian packages; otherwise repo@sha256:… .</summary>
    public string Base { get; set; } = "local";
    /// <summary>Optional pin of the app image to deploy (repo@sha256:…). Tags are rejected: a tag is not an identity.</summary>
    public string? Deploy { get; set; }
    public bool Trimmed { get; set; } = true;
}

public sealed class StrategyConfig
{
    public StrategyKind Kind { get; set; } = StrategyKind.Canary;
    public int MaxSurge { get; set; } = 1;
    public int MaxUnavailable { get; set; } = 0;
    /// <summary>Canary traffic weights in percent, ending at 100.</summary>
    public List<int> Steps { get; set; } = [5, 25, 50, 100];
    public int PauseSeconds { get; set; } = 20;
    /// <summary>Header (name: value) that routes a request to the new version before it gets weighted traffic.</summary>
    public string PreviewHeader { get; set; } = "X-Canary: always";
}

public sealed class GatesConfig
{
    public double MinLineCoveragePercent { get; set; } = 60;
    public ScanGateConfig Scan { get; set; } = new();
    public CanaryGateConfig Canary { get; set; } = new();
    public SmokeGateConfig Smoke { get; set; } = new();
    public bool RequireApproval { get; set; }
    public List<ChangeWindowConfig> DenyWindows { get; set; } = [];
}

public sealed class ScanGateConfig
{
    public ScannerPolicy CveScanner { get; set; } = ScannerPolicy.Warn;
    public List<string> FailOnSeverities { get; set; } = ["HIGH", "CRITICAL"];
}

/// <summary>
/// The anytime-valid canary gate (docs/GATES.md). Each judged step runs one e-process per metric (errors, and
/// "slower than bound b" for each latency quantile); each may be looked at every second without raising its
/// false-Fail probability above its share of <see cref="FalseRollbackBudget"/> (<see cref="ErrorAlpha"/>,
/// <see cref="LatencyAlphaPerBound"/>).
/// </summary>
public sealed class CanaryGateConfig
{
    /// <summary>Probability that a healthy release is rolled back, over the whole release (every metric × every judged step).</summary>
    public double FalseRollbackBudget { get; set; } = 0.05;
    /// <summary>Error margin as a ratio: a canary error rate up to this × stable's is not a regression (the tested null).</summary>
    public double MaxErrorRatio { get; set; } = 2;
    /// <summary>Error margin, absolute (0.01 = 1 point): a Fail also needs the canary this much above stable; a Pass needs it shown below.</summary>
    public double MaxErrorRateIncrease { get; set; } = 0.01;
    /// <summary>
    /// Stable's latency quantiles (from the look before the step) whose bucket bounds the latency tests use. A bound
    /// sees a regression only where it moves requests across it: the slowest 5 % made 100 ms slower leave the share
    /// above stable's p95 at 5 % (invisible there), dilute in stable's own 1 % above p99 (~15 s to show at 10 %), and
    /// stand almost alone above p99.9 (~5 s).
    /// </summary>
    public List<double> LatencyQuantiles { get; set; } = [0.5, 0.95, 0.99, 0.999];
    /// <summary>Latency margin as a ratio of the share of requests slower than each bound.</summary>
    public double MaxSlowRatio { get; set; } = 1.5;
    /// <summary>Latency margin, absolute: the canary's share slower than a bound may exceed stable's by this much.</summary>
    public double MaxSlowIncrease { get; set; } = 0.02;
    /// <summary>A latency Fail also needs the canary's quantile this many ms above stable's (a cold 9 ms vs a warm 5 ms is no regression).</summary>
    public double MinLatencyIncreaseMs { get; set; } = 20;
    /// <summary>Per metric, the probability of passing a canary that sits exactly at the margin (the Pass side's confidence sequence).</summary>
    public double PassRisk { get; set; } = 0.2;
    /// <summary>Minimum exposure before a Pass: canary requests since the step began …</summary>
    public int MinSamples { get; set; } = 100;
    /// <summary>… and seconds since the step began (a Fail needs neither: its e-value is valid at any sample size).</summary>
    public int MinSeconds { get; set; } = 10;
    /// <summary>Prometheus' scrape interval for the app (the counts' resolution; a step is judged only after 4 of them).</summary>
    public int ScrapeIntervalSeconds { get; set; } = 1;
    /// <summary>How far before the step stable's latency is read to fix the latency bounds.</summary>
    public int BaselineSeconds { get; set; } = 60;
    /// <summary>How long an inconclusive gate keeps waiting before it rolls back (no data is never a pass).</summary>
    public int InconclusiveTimeoutSeconds { get; set; } = 60;
    /// <summary>
    /// Errors the proxy produced for each track's servers (Kubernetes: e.g. the mesh's or gateway's counters for the
    /// track's service; empty: none). The single-host target supplies HAProxy's per-server counters itself.
    /// </summary>
    public ProxyErrorsConfig ProxyErrors { get; set; } = new();

    /// <summary>Judged steps of the strategy (every step but 100 %), filled by the loader: the budget's divisor.</summary>
    [YamlDotNet.Serialization.YamlIgnore] public int JudgedSteps { get; set; } = 4;
    /// <summary>
    /// Share of each judged step's budget given to the error test; the latency bounds split the rest equally. Errors
    /// are rare events (0.1 % of requests): every nat of boundary costs seconds of exposure, where the latency tests
    /// see tens of events a second (p50) or events nearly all the canary's (a slow tail above p99.9). With 0.5,
    /// adding a latency bound no longer delays error detection.
    /// </summary>
    public double ErrorBudgetShare { get; set; } = 0.5;

    /// <summary>The release budget's share per judged step (Bonferroni over steps).</summary>
    [YamlDotNet.Serialization.YamlIgnore] public double StepBudget => FalseRollbackBudget / Math.Max(1, JudgedSteps);
    /// <summary>The error test's α per judged step (all of the step's budget when no latency bound is tested).</summary>
    [YamlDotNet.Serialization.YamlIgnore] public double ErrorAlpha => LatencyQuantiles.Count == 0 ? StepBudget : StepBudget * ErrorBudgetShare;
    /// <summary>Each latency bound's α per judged step. Errors + bounds sum to the step's budget, steps to the release's.</summary>
    [YamlDotNet.Serialization.YamlIgnore] public double LatencyAlphaPerBound => LatencyQuantiles.Count == 0 ? 0 : StepBudget * (1 - ErrorBudgetShare) / LatencyQuantiles.Count;
}

/// <summary>PromQL selectors of proxy error counters per track, both optional.</summary>
public sealed class ProxyErrorsConfig
{
    public ProxyTrackSelectors Stable { get; set; } = new();
    public ProxyTrackSelectors Canary { get; set; } = new();
}

/// <summary>
/// <c>responses5xx</c>: 5xx responses counted by the proxy for the track's servers — these include the app's own 5xx,
/// so the track's errors are the larger of the two counts; <c>failures</c>: requests the app never answered
/// (connection errors, proxy timeouts), added to both errors and requests.
/// </summary>
public sealed class ProxyTrackSelectors
{
    public string Responses5xx { get; set; } = "";
    public string Failures { get; set; } = "";
}

public sealed class SmokeGateConfig
{
    public List<string> Paths { get; set; } = ["/healthz/ready", "/orders?limit=1"];
}

public sealed class ChangeWindowConfig
{
    public List<DayOfWeek> Days { get; set; } = [];
    public string From { get; set; } = "00:00";
    public string To { get; set; } = "23:59";
    public string Reason { get; set; } = "";
    /// <summary>IANA zone the window's times are in (a Friday-afternoon freeze means the team's Friday, not UTC's).</summary>
    public string TimeZone { get; set; } = "UTC";
}

public sealed class ResourcesConfig
{
    public double Cpus { get; set; } = 1;
    public int MemoryMb { get; set; } = 256;
}

public sealed class AppRuntimeConfig
{
    /// <summary>Seconds an instance keeps serving after SIGTERM while load balancers stop sending to it.</summary>
    public int DrainDelaySeconds { get; set; } = 5;
    public int ShutdownTimeoutSeconds { get; set; } = 20;
    /// <summary>Must exceed drain + shutdown timeout, or the runtime kills requests still in flight.</summary>
    public int GracePeriodSeconds { get; set; } = 30;
    public int WarmupDelaySeconds { get; set; }
    /// <summary>
    /// Connections one instance may hold (ORDERS_DB_MAX_POOL_SIZE). Declared, not left at the driver's default:
    /// every slot × this must fit PostgreSQL's max_connections, or under a latency spike the pools grow past it,
    /// PostgreSQL answers "too many clients" and every instance serves 503 at once (the drill's first run).
    /// </summary>
    public int DbMaxPoolSize { get; set; } = 10;
    public Dictionary<string, string> Flags { get; set; } = [];
}

public sealed class SingleHostConfig
{
    public int LoadBalancerPort { get; set; } = 8080;
    public int StatsPort { get; set; } = 8404;
    public int PrometheusPort { get; set; } = 9090;
    public int RegistryPort { get; set; } = 5000;
    public int PostgresPort { get; set; } = 25432;
    /// <summary>PostgreSQL's max_connections for the environment's cluster (set at its start).</summary>
    public int PostgresMaxConnections { get; set; } = 100;
    /// <summary>First host port for app instances (127.0.0.1 only).</summary>
    public int AppPortBase { get; set; } = 18000;
    /// <summary>Synthetic users during a canary (nobody else sends traffic to a demo host); rate 0 disables it.</summary>
    public LoadTestConfig LoadTest { get; set; } = new();
}

/// <summary>
/// Flagger-style load tester: open-loop, evenly spaced requests through the load balancer while a canary is
/// live, so the canary gate has traffic to judge. Loopback only.
/// </summary>
public sealed class LoadTestConfig
{
    /// <summary>Requests per second (0: off). The canary sees about rate × step% of them.</summary>
    public double RatePerSecond { get; set; }
    /// <summary>Share of requests that are writes (POST /orders with an Idempotency-Key); the rest are GETs of <see cref="Paths"/>.</summary>
    public double WriteRatio { get; set; } = 0.2;
    /// <summary>Read paths, used in turn.</summary>
    public List<string> Paths { get; set; } = ["/orders?limit=5"];
    /// <summary>Upper bound on one run of the tester, whatever happens to the release (it never outlives the build).</summary>
    public int MaxSeconds { get; set; } = 900;
}

public sealed class KubernetesConfig
{
    public string Namespace { get; set; } = "";
    public string Context { get; set; } = "";
    public string Release { get; set; } = "orders";
    public string Chart { get; set; } = "charts/orders";
    /// <summary>The cluster's Prometheus, as the pipeline reaches it (PromoteGate and the canary steps read it).</summary>
    public string PrometheusUrl { get; set; } = "";

    // The chart's side of the environment (charts/orders/CHART-CONTRACT.md); ChartValues turns these into values.

    /// <summary>Seconds the kubelet waits before SIGTERM, while endpoint removal propagates (the preStop sleep).</summary>
    public int PreStopSleepSeconds { get; set; } = 3;
    public KubeProbesConfig Probes { get; set; } = new();
    public KubeGatewayConfig Gateway { get; set; } = new();
    public KubeDatabaseConfig Database { get; set; } = new();
    /// <summary>HorizontalPodAutoscaler of the stable track: 0 = none; otherwise at least <c>replicas</c>.</summary>
    public int MaxReplicas { get; set; }
    public int TargetCpuPercent { get; set; } = 70;
    /// <summary>Identities (request.userInfo.username) allowed to change the app's Deployments, HTTPRoute and Secrets.</summary>
    public List<string> PipelineUsers { get; set; } = [];
    /// <summary>
    /// Audit entries (one ConfigMap each) kept in the release's namespace: after each append the oldest beyond this
    /// many are deleted — never the newest successful promote/rollback/up of a digest (what Rollback returns to).
    /// </summary>
    public int AuditRetention { get; set; } = DefaultAuditRetention;

    /// <summary>Audit entries kept unless <c>kubernetes.auditRetention</c> says otherwise (a few per release: months of releases).</summary>
    public const int DefaultAuditRetention = 500;
    /// <summary>Bounds of <c>kubernetes.auditRetention</c>: fewer would cut History short; more makes every read list thousands of objects.</summary>
    public const int MinAuditRetention = 10, MaxAuditRetention = 10_000;
}

public sealed class KubeProbesConfig
{
    public KubeProbeConfig Readiness { get; set; } = new() { PeriodSeconds = 5, TimeoutSeconds = 2, FailureThreshold = 2 };
    public KubeProbeConfig Liveness { get; set; } = new() { PeriodSeconds = 10, TimeoutSeconds = 2, FailureThreshold = 3 };
    /// <summary>Budget before liveness counts: periodSeconds × failureThreshold.</summary>
    public KubeProbeConfig Startup { get; set; } = new() { PeriodSeconds = 2, TimeoutSeconds = 2, FailureThreshold = 30 };
}

public sealed class KubeProbeConfig
{
    public int PeriodSeconds { get; set; }
    public int TimeoutSeconds { get; set; }
    public int FailureThreshold { get; set; }
}

/// <summary>The Gateway (Gateway API) the release's HTTPRoute attaches to.</summary>
public sealed class KubeGatewayConfig
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public string SectionName { get; set; } = "";
    public List<string> Hostnames { get; set; } = [];
}

/// <summary>PostgreSQL as the pods reach it, and where its password comes from (never from this file).</summary>
public sealed class KubeDatabaseConfig
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 5432;
    public string Name { get; set; } = "orders";
    public string User { get; set; } = "orders";
    /// <summary>The database's address range (NetworkPolicy egress).</summary>
    public string Cidr { get; set; } = "";
    /// <summary>Name of a Secret (key <c>password</c>) created outside the chart; or else <see cref="ExternalSecret"/>.</summary>
    public string ExistingSecret { get; set; } = "";
    public KubeExternalSecretConfig? ExternalSecret { get; set; }
}

/// <summary>External Secrets Operator: the store and the remote key the password is copied from.</summary>
public sealed class KubeExternalSecretConfig
{
    public string Store { get; set; } = "";
    public string StoreKind { get; set; } = "ClusterSecretStore";
    public string Key { get; set; } = "";
    public string Property { get; set; } = "";
    public string RefreshInterval { get; set; } = "1h";
}

public sealed class NotificationsConfig
{
    /// <summary>Webhook that receives the release outcome as JSON (empty: none).</summary>
    public string? WebhookUrl { get; set; }
}
