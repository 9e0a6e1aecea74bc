using Pipeline.Tests.Support;
using System.ComponentModel.Design;
using System.Net;
using System.Net.Sockets;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Pipeline.Host;
using Pipeline.Tools;
using Path = System.IO.Path;

namespace Pipeline.Tests.Image;

/// <summary>
/// A throwaway environment for image integration tests: its own environment file, state dir, artifacts dir,
/// registry port and — through <see cref="StorageRunner"/> — its own containers storage, so the tests neither
/// see nor touch the images and containers of a running `local` environment (or of each other).
/// </summary>
public sealed class IsolatedImageEnvironment
{
    private static readonly object EnvironmentVariablesLock = new();

    public IsolatedImageEnvironment(string root)
    {
        Root = root;
        Name = "it-img-" + Guid.NewGuid().ToString("N")[..6];
        RegistryPort = FreePorts.One();
        Directory.CreateDirectory(EnvironmentsDir);
        var local = File.ReadAllText(Path.Combine(BuildPaths.Discover("local").Environments, "local.yaml"));
        File.WriteAllText(Path.Combine(EnvironmentsDir, Name + ".yaml"), local
            .Replace("name: local", "name: " + Name)
            .Replace("registry: localhost:5000", $"registry: localhost:{RegistryPort}")
            .Replace("registryPort: 5000", $"registryPort: {RegistryPort}"));
        SecretValue = "it-" + Guid.NewGuid().ToString("N")[..20];
        var secrets = Path.Combine(StateRoot, Name, "secrets");
        Directory.CreateDirectory(secrets);
        File.WriteAllText(Path.Combine(secrets, "db-password"), SecretValue);
    }

    public string Root { get; }
    public string Name { get; }
    public int RegistryPort { get; }
    public string SecretValue { get; }
    public string EnvironmentsDir => Path.Combine(Root, "environments");
    public string StateRoot => Path.Combine(Root, "state");

    /// <summary>A context on this environment with its own artifacts dir and containers storage.</summary>
    public BuildContext CreateContext(string label)
    {
        var artifacts = Path.Combine(Root, "artifacts-" + label);
        var storage = Path.Combine(Root, "storage-" + label);
        var cake = CakeContextFactory.Create("--env=" + Name);
        lock (EnvironmentVariablesLock)
        {
            var saved = new[] { EnvVars.StateDir, EnvVars.ArtifactsDir, global::Pipeline.Config.ConfigLoader.EnvironmentsDirVariable }
                .ToDictionary(v => v, System.Environment.GetEnvironmentVariable);
            try
            {
                System.Environment.SetEnvironmentVariable(EnvVars.StateDir, StateRoot);
                System.Environment.SetEnvironmentVariable(EnvVars.ArtifactsDir, artifacts);
                System.Environment.SetEnvironmentVariable(global::Pipeline.Config.ConfigLoader.EnvironmentsDirVariable, EnvironmentsDir);
                return new BuildContext(cake, new StorageRunner(new ToolRunner(cake, dryRun: false, ["/usr/sbin"]), storage));
            }
            finally
            {
                foreach (var (k, v) in saved) System.Environment.SetEnvironmentVariable(k, v);
            }
        }
    }

}

/// <summary>
/// Runs every command against a private containers storage AND a private libpod engine folder AND a private
/// network config folder. The engine folder matters: with only a private storage.conf, `podman system reset`
/// deletes the host's shared /run/libpod, every other podman client then believes the machine rebooted and resets
/// all running containers (seen here: a running single-host environment's instances all went to "Created"). The
/// network folder too: `system reset` deletes every network definition in /etc/containers/networks — the local
/// environment's `orders-local` vanished under its running instances, whose port rules netavark could then never
/// tear down, and the next release's instances answered "No route to host" behind the stale DNAT rules (seen here).
/// </summary>
public sealed class StorageRunner : IToolRunner
{
    private readonly IToolRunner _inner;
    private readonly string _conf;
    private readonly string _engineConf;

    public StorageRunner(IToolRunner inner, string storageRoot)
    {
        _inner = inner;
        Directory.CreateDirectory(storageRoot);
        _conf = Path.Combine(storageRoot, "storage.conf");
        File.WriteAllText(_conf, $"""
            [storage]
            driver = "overlay"
            graphroot = "{storageRoot}/graph"
            runroot = "{storageRoot}/run"
            """);
        _engineConf = Path.Combine(storageRoot, "containers.conf");
        File.WriteAllText(_engineConf, $"""
            [engine]
            tmp_dir = "{storageRoot}/tmp"
            volume_path = "{storageRoot}/volumes"
            static_dir = "{storageRoot}/libpod"

            [network]
            network_config_dir = "{storageRoot}/networks"
            """);
    }

    public bool DryRun => _inner.DryRun;
    public IReadOnlyList<ToolCommand> History => _inner.History;
    public string? Find(string tool) => _inner.Find(tool);
    public ToolResult Run(ToolCommand command, bool allowFailure = false, TimeSpan? timeout = null) => _inner.Run(WithStorage(command), allowFailure, timeout);
    public int StartDetached(ToolCommand command, string logFile) => _inner.StartDetached(WithStorage(command), logFile);

    private ToolCommand WithStorage(ToolCommand c) =>
        c with { Environment = new Dictionary<string, string>(c.Environment) { ["CONTAINERS_STORAGE_CONF"] = _conf, ["CONTAINERS_CONF"] = _engineConf } };

    /// <summary>Removes every container, image and mount of this storage.</summary>
    public void Reset() => Run(Podman.Command("system", "reset", "--force"), allowFailure: true);
}
