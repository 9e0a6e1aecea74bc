using Pipeline.Config;

namespace Pipeline.SingleHost;

/// <summary>
/// Names, ports and state-dir paths of one single-host environment, in one place. Slots are fixed
/// (slot i ⇔ host port appPortBase+i ⇔ HAProxy server s{i}), so adding an instance never edits the
/// HAProxy config: the servers are declared up front and only enabled through the runtime API.
/// </summary>
public sealed class SingleHostLayout(EnvironmentConfig config, string stateDir)
{
    public EnvironmentConfig Config { get; } = config;
    public string StateDir { get; } = stateDir;
    public string Env => Config.Name;

    public const string Backend = "app";
    public const string PreviewBackend = "canary_preview";
    public const string LabelPrefix = "io.orders-release.";
    public const string EnvLabel = LabelPrefix + "env";
    public const string SlotLabel = LabelPrefix + "slot";
    public const string DigestLabel = LabelPrefix + "image";
    public const string VersionLabel = LabelPrefix + "version";

    /// <summary>Spare slots: a full second set (blue-green) plus two, so no deploy ever needs a reload.</summary>
    public int SlotCount => Pipeline.Config.PostgresCapacity.Slots(Config);
    public int PortOf(int slot) => Config.SingleHost.AppPortBase + slot;
    public static string ServerOf(int slot) => $"s{slot}";
    public string ContainerOf(int slot) => $"orders-{Env}-s{slot}";
    public string SecretName => $"orders-{Env}-db-password";
    public string NetworkName => $"orders-{Env}";
    public string ContainerNamePrefix => $"orders-{Env}-";

    public string SecretsDir => Path.Combine(StateDir, "secrets");
    public string DbPasswordFile => Path.Combine(SecretsDir, "db-password");
    /// <summary>
    /// The cluster runs as the postgres OS user, which must be able to reach its data directory. A state dir
    /// under a private home (/root is 0700) is not reachable, so the cluster then lives under
    /// /var/lib/orders-release/ in a folder named after the state dir (still one per environment).
    /// </summary>
    public string PostgresDir => OthersCanTraverse(StateDir) ? Path.Combine(StateDir, "postgres")
        : Path.Combine("/var/lib/orders-release", Env + "-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(StateDir)))[..8].ToLowerInvariant(), "postgres");

    private static bool OthersCanTraverse(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            if (d.Exists && (d.UnixFileMode & UnixFileMode.OtherExecute) == 0) return false;
        return true;
    }
    public string PostgresData => Path.Combine(PostgresDir, "data");
    /// <summary>
    /// The cluster's only socket directory, and the only host path app containers see of it (bind-mounted): a
    /// folder of its own so that a container sees the socket, not the data directory or the server log.
    /// </summary>
    public string PostgresSocketDir => Path.Combine(PostgresDir, "socket");
    public string PostgresLog => Path.Combine(PostgresDir, "postgres.log");
    public string HaproxyDir => Path.Combine(StateDir, "haproxy");
    public string HaproxyConfig => Path.Combine(HaproxyDir, "haproxy.cfg");
    public string HaproxyPid => Path.Combine(HaproxyDir, "haproxy.pid");
    public string HaproxySocket => Path.Combine(HaproxyDir, "admin.sock");
    public string HaproxyLog => Path.Combine(HaproxyDir, "haproxy.log");
    public string PrometheusDir => Path.Combine(StateDir, "prometheus");
    public string PrometheusConfig => Path.Combine(PrometheusDir, "prometheus.yml");
    public string PrometheusTargets => Path.Combine(PrometheusDir, "targets.json");
    public string PrometheusData => Path.Combine(PrometheusDir, "data");
    public string PrometheusPid => Path.Combine(PrometheusDir, "prometheus.pid");
    public string PrometheusLog => Path.Combine(PrometheusDir, "prometheus.log");
    /// <summary>app.flags rendered as JSON (0644: the app's non-root user reads it through a read-only mount).</summary>
    public string FlagsFile => Path.Combine(StateDir, "flags.json");
    public string LockFile => Path.Combine(StateDir, "deploy.lock");
    /// <summary>--candidate-env for one instance, 0600, only between `podman run`'s start and end.</summary>
    public string CandidateEnvFile(int slot) => Path.Combine(StateDir, $"candidate-s{slot}.env");
    public string ReleaseStateFile => Path.Combine(StateDir, "release.json");

    public const string DbName = "orders";
    public const string DbUser = "orders";

    public (string Name, string Value) PreviewHeader
    {
        get
        {
            var i = Config.Strategy.PreviewHeader.IndexOf(':');
            return (Config.Strategy.PreviewHeader[..i].Trim(), Config.Strategy.PreviewHeader[(i + 1)..].Trim());
        }
    }
}
