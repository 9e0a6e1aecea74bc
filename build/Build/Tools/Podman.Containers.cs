namespace Pipeline.Tools;

/// <summary>One app instance as podman should run it: everything that ends up in <c>podman run</c>'s argv.</summary>
public sealed record AppContainerSpec(
    string Name,
    string Image,
    int HostPort,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Environment,
    string SecretName,
    double Cpus,
    int MemoryMb,
    int StopTimeoutSeconds,
    string Network,
    string? FlagsFile = null,
    string? EnvFile = null,
    string? PostgresSocketDir = null,
    int? CpuShares = null);

/// <summary>Container commands for the single-host target (argv only; executed by the runner).</summary>
public static partial class Podman
{
    /// <summary>The non-root user baked into the image; the secret is mounted readable by it only.</summary>
    public const int AppUid = 1654;

    /// <summary>Where the flags file appears inside an app container (ORDERS_FLAGS_FILE).</summary>
    public const string FlagsMountPath = "/etc/orders/flags.json";

    /// <summary>
    /// Explicit limits: the defaults fail on this kind of host (setrlimit: operation not permitted), and a
    /// runaway instance must not take every file descriptor or process slot of the machine.
    /// </summary>
    public static readonly IReadOnlyList<string> Ulimits = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=512:512"];

    /// <summary>
    /// The environment's own bridge network (netavark): a published port is a kernel DNAT rule, not a userspace
    /// proxy. WHY: with slirp4netns every request crossed rootlessport and slirp4netns (two Go/C processes per
    /// instance, ~0.4 ms more at p50 and 8–14 % of a core at 200 req/s), and every instance start spawned both on a
    /// host already 60 % busy — in the seconds the release drill's cutover p99 stalls were measured. The bridge
    /// keeps what slirp4netns' allow_host_loopback=false gave: the host's loopback services (Prometheus' lifecycle
    /// API, HAProxy's stats, the registry) are not reachable from the gateway address, because they bind 127.0.0.1
    /// (ContainerIsolationTests). No DNS (no aardvark-dns daemon: nothing resolves names), isolate=true: no
    /// traffic to or from containers on other podman networks.
    /// </summary>
    public static ToolCommand NetworkCreate(string name, string envLabel, string env) =>
        Command("network", "create", "--driver", "bridge", "--disable-dns", "--opt", "isolate=true", "--label", $"{envLabel}={env}", name);

    public static ToolCommand NetworkExists(string name) => Command("network", "exists", name);
    public static ToolCommand NetworkRemove(string name) => Command("network", "rm", "--force", name);

    /// <summary>
    /// Where PostgreSQL's Unix socket directory appears inside an app or migration container (ORDERS_DB_HOST:
    /// Npgsql takes a host starting with '/' as a socket directory). The database is the one host service a
    /// container needs, and it reaches it through this bind mount, not through the network.
    /// </summary>
    public const string PostgresSocketMountPath = "/run/postgresql";

    // Read-only is enough: connect(2) on a socket needs write permission on the socket inode, which a read-only
    // mount does not take away (only regular files, directories and symlinks get EROFS).
    private static string[] PostgresSocketVolume(string socketDir) => ["--volume", $"{socketDir}:{PostgresSocketMountPath}:ro"];

    /// <summary>The kernel's default CPU weight (cgroup v1 cpu.shares), which every serving instance has.</summary>
    public const int DefaultCpuShares = 1024;

    /// <summary>
    /// A starting instance's CPU weight until it is warm: 1/16 of a serving one. WHY: a start (the JIT image's took
    /// ~1 CPU-second, the Native AOT one ~0.13) competes for the 2 cores with the instances serving users; in the
    /// release drill every instance answered 100-200 ms late in the seconds around each JIT start. At a low weight it
    /// only gets what serving leaves idle; <see cref="UpdateCpuShares"/> gives it the full weight once it is warm,
    /// before it joins the load balancer. Measured again with the AOT image (12-07): without it, the quarter-second after
    /// each `podman run` had up to 40 of 50 requests over 15 ms (worst 160 ms) against 8-15 with it, although the
    /// `podman update` it needs costs ~0.12-0.16 CPU-s itself.
    /// </summary>
    public const int StartupCpuShares = 64;

    public static ToolCommand UpdateCpuShares(string name, int shares) =>
        Command("update", "--cpu-shares", shares.ToString(System.Globalization.CultureInfo.InvariantCulture), name);

    public static ToolCommand RunApp(AppContainerSpec s)
    {
        List<string> args =
        [
            "run", "--detach", "--name", s.Name,
            "--pull=never",
            "--read-only", "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--user", $"{AppUid}:{AppUid}",
            .. Ulimits,
            "--memory", $"{s.MemoryMb}m", "--cpus", s.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. (s.CpuShares is { } shares ? new[] { "--cpu-shares", shares.ToString(System.Globalization.CultureInfo.InvariantCulture) } : []),
            "--network", s.Network,
            "--publish", $"127.0.0.1:{s.HostPort}:8080",
            // /tmp for the runtime; /run/secrets as tmpfs because a read-only root cannot get the secret's
            // mount point created in it (runc: "read-only file system").
            "--tmpfs", "/tmp:rw,nosuid,nodev,size=16m",
            "--tmpfs", "/run/secrets:rw,nosuid,nodev,noexec,size=64k",
            "--secret", $"{s.SecretName},uid={AppUid},gid={AppUid},mode=0400",
            "--stop-timeout", s.StopTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        // app.flags: one host file, read-only in every instance; the app polls it, so a flag flips without a restart.
        if (s.FlagsFile is not null) args.AddRange(["--volume", $"{s.FlagsFile}:{FlagsMountPath}:ro"]);
        if (s.PostgresSocketDir is not null) args.AddRange(PostgresSocketVolume(s.PostgresSocketDir));
        foreach (var (k, v) in s.Labels.OrderBy(p => p.Key, StringComparer.Ordinal)) args.AddRange(["--label", $"{k}={v}"]);
        foreach (var (k, v) in s.Environment.OrderBy(p => p.Key, StringComparer.Ordinal)) args.AddRange(["--env", $"{k}={v}"]);
        // Values given on the command line (--candidate-env) travel in a 0600 file: an argv is readable by
        // every user through `ps` and lands in run.json and the dry-run output.
        if (s.EnvFile is not null) args.AddRange(["--env-file", s.EnvFile]);
        args.Add(s.Image);
        return Command([.. args]);
    }

    /// <summary>A one-off container from a release's own image (schema-contract): same hardening, removed on exit.</summary>
    public static ToolCommand RunOnce(string image, string secretName, IReadOnlyDictionary<string, string> environment, string network, params string[] command) =>
        RunOneOff(image, secretName, environment, network, [], command);

    /// <summary>
    /// A one-off container that needs the database (migrations, the declared-schema replay): no network at all,
    /// PostgreSQL through its socket directory only.
    /// </summary>
    public static ToolCommand RunOnceWithDatabase(string image, string secretName, IReadOnlyDictionary<string, string> environment, string postgresSocketDir, params string[] command) =>
        RunOneOff(image, secretName, environment, "none", PostgresSocketVolume(postgresSocketDir), command);

    private static ToolCommand RunOneOff(string image, string secretName, IReadOnlyDictionary<string, string> environment, string network, string[] volumes, string[] command)
    {
        List<string> args =
        [
            "run", "--rm", "--pull=never",
            "--read-only", "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--user", $"{AppUid}:{AppUid}",
            .. Ulimits,
            "--network", network,
            "--tmpfs", "/tmp:rw,nosuid,nodev,size=16m",
        ];
        if (secretName.Length > 0)
            args.AddRange(["--tmpfs", "/run/secrets:rw,nosuid,nodev,noexec,size=64k", "--secret", $"{secretName},uid={AppUid},gid={AppUid},mode=0400"]);
        args.AddRange(volumes);
        foreach (var (k, v) in environment.OrderBy(p => p.Key, StringComparer.Ordinal)) args.AddRange(["--env", $"{k}={v}"]);
        args.Add(image);
        args.AddRange(command);
        return Command([.. args]);
    }

    /// <summary>SIGTERM, then SIGKILL after the grace period (the app drains within it). Several names stop in parallel.</summary>
    public static ToolCommand Stop(int graceSeconds, params string[] names) => Command(["stop", "--time", graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. names]);

    /// <summary>
    /// SIGTERM, up to the grace period for the app's drain and shutdown, SIGKILL after it, then remove — one podman
    /// process instead of `stop` + `rm` (each ~0.15–0.3 s on a busy host, paid at every step of a release).
    /// Several names stop in parallel.
    /// </summary>
    public static ToolCommand StopAndRemove(int graceSeconds, params string[] names) =>
        Command(["rm", "--force", "--time", graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. names]);

    public static ToolCommand Remove(params string[] names) => Command(["rm", "--force", "--time", "0", .. names]);

    /// <summary>All containers (running or not) carrying a label, as JSON.</summary>
    public static ToolCommand ListByLabel(string label) => Command("ps", "--all", "--filter", $"label={label}", "--format", "json");

    /// <summary>
    /// The lifecycle events of the containers carrying a label, one JSON object per line, replayed from
    /// <paramref name="since"/> and then followed as they happen (one long-running process). WHY: a watch instead
    /// of a `podman ps` per second — on this 2-core host every podman process costs ~0.15 CPU-s, and the drill's
    /// once-a-second listing landed on the cutovers it was measuring (perf, 12-07: 17 of the 46 podman processes in a
    /// rolling phase were that listing).
    /// </summary>
    public static ToolCommand ContainerEvents(string label, DateTimeOffset since) =>
        Command("events", "--since", since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            "--filter", "type=container", "--filter", $"label={label}", "--format", "json");

    /// <summary>All containers as JSON (drift looks for look-alikes that do not carry the labels).</summary>
    public static ToolCommand ListAll() => Command("ps", "--all", "--format", "json");

    public static ToolCommand SecretCreate(string name, string file) => Command("secret", "create", name, file);
    public static ToolCommand SecretRemove(string name) => Command("secret", "rm", name);
    public static ToolCommand SecretInspect(string name) => Command("secret", "inspect", "--format", "{{.ID}}", name);
}
