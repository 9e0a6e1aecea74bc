using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.Tools;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Pipeline;

/// <summary>
/// The typed context every task receives: properties only. Filled from arguments and the environment's
/// configuration before any task runs. Areas (image, single-host, …) add their state in partial files.
/// </summary>
public sealed partial class BuildContext : CakeContextAdapter, IBuildRunObserver
{
    public BuildContext(ICakeContext context, IToolRunner? runner = null) : base(context)
    {
        // Every argument is checked before anything else (the host exits 2): a bad value must not surface
        // after Build, ImageBuild, Push and Up have run.
        if (ArgumentRules.Validate(context.Arguments) is { Count: > 0 } bad) throw new BadArgumentsException(bad);
        EnvironmentName = context.Arguments.GetArguments(Args.Env).LastOrDefault() ?? "local";
        DryRun = context.Arguments.GetArguments(Args.DryRun).Any(v => v != "false");
        Paths = BuildPaths.Discover(EnvironmentName);
        Config = ConfigLoader.Load(Paths.Environments, EnvironmentName);
        if (MissingImage() is { } missing) throw new BadArgumentsException([missing]);
        Runner = runner ?? new ToolRunner(context, DryRun, [Paths.ToolsDir, "/usr/lib/postgresql/15/bin", "/usr/sbin"]) { Background = ToolsCpuGroup(context) };
        Record = new RunRecord
        {
            Target = context.Arguments.GetArguments("target").LastOrDefault() ?? HostArguments.DefaultTarget,
            Environment = EnvironmentName,
            DryRun = DryRun,
            Actor = Actor,
            Revision = GitRevision.Read(Paths.RepoRoot),
        };
    }

    /// <summary>Single host, for real: podman and conmon in the low-weight CPU group (<see cref="ToolCpuGroup"/>); said once in the log.</summary>
    private ToolCpuGroup? ToolsCpuGroup(ICakeContext context)
    {
        if (DryRun || Config.Target != TargetKind.SingleHost) return null;
        var group = ToolCpuGroup.Prepare("/sys/fs/cgroup", out var why);
        if (group is null) context.Log.Information("Tools' CPU: {0}; podman runs at the default weight.", why);
        else context.Log.Verbose("Tools' CPU: {0}", why);
        return group;
    }

    public string EnvironmentName { get; }
    public EnvironmentConfig Config { get; }
    public bool DryRun { get; }
    public BuildPaths Paths { get; }
    public IToolRunner Runner { get; }
    public RunRecord Record { get; }
    public bool InGitHubActions => System.Environment.GetEnvironmentVariable(EnvVars.GitHubActions) == "true";

    /// <summary>Who runs this: the GitHub actor in Actions, the OS user on a laptop (recorded in the audit trail).</summary>
    public string Actor => System.Environment.GetEnvironmentVariable(EnvVars.GitHubActor) is { Length: > 0 } a ? a : System.Environment.UserName;

    /// <summary>
    /// --image naming a digest the environment's own registry does not hold: refused before the first task
    /// (it used to fail only after Build → … → Up → DriftCheck and the load tester had run). A registry that is
    /// not up yet cannot answer; the deploy then checks the image before it changes anything.
    /// </summary>
    private string? MissingImage()
    {
        if (DryRun || Config.Target != TargetKind.SingleHost || Argument(SingleHostArgs.Image) is not { } image) return null;
        var (registry, repository, digest) = ImageReference.Split(image);
        if (registry != Pipeline.Image.LocalRegistry.Address(Config)) return null;
        return Pipeline.Image.LocalRegistry.HasManifest(Config.SingleHost.RegistryPort, repository, digest) == false
            ? $"--{SingleHostArgs.Image}: {image} is not in the registry {registry} (nothing was pushed with that digest; `./build.sh --target=History --env={EnvironmentName}` lists the released ones)."
            : null;
    }

    public string? Argument(string name) => Arguments.GetArguments(name).LastOrDefault();
    public bool Flag(string name) => Arguments.GetArguments(name).Any(v => v != "false");

    void IBuildRunObserver.OnTaskStarting(string task)
    {
        RunReporter.TaskStarting(this, task);
        // From the run's first mutating step to its end, one lock: a Rollback started while PromoteGate waits on
        // the live canary fails fast instead of removing it. Single host: OS-held (SingleHost/EnvironmentLock);
        // Kubernetes: the environment's Lease in the cluster (Kubernetes/State), renewed until the run ends.
        if (!LockingTasks.Contains(task) || DryRun) return;
        if (IsSingleHost)
            Pipeline.SingleHost.EnvironmentLock.HoldForRun(SingleHost.Layout.LockFile, EnvironmentName, Actor, $"{Record.Target} (from {task})");
        else _runLock ??= Release.Target.Session.Lock($"{Record.Target} (from {task})");
    }

    private IDisposable? _runLock;

    /// <summary>The tasks that change (or judge and may roll back) what the environment serves.</summary>
    public static readonly IReadOnlySet<string> LockingTasks = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "Up", "Down", "HelmUpgradeCanary", "PromoteGate", "Promote", "Rollback", "Reset", "ReleaseDrill" };

    void IBuildRunObserver.OnTaskFinished(string task, TimeSpan duration, TaskOutcome outcome) => RunReporter.TaskFinished(this, task, duration, outcome);
    void IBuildRunObserver.OnRunFinished(Exception? failure)
    {
        if (IsSingleHost) Pipeline.SingleHost.EnvironmentLock.ReleaseRun(SingleHost.Layout.LockFile);
        _runLock?.Dispose();
        RunReporter.RunFinished(this, failure);
    }
}

/// <summary>One or more command-line arguments are invalid: the host prints them and exits 2 before any task.</summary>
public sealed class BadArgumentsException(IReadOnlyList<string> errors) : ArgumentException(string.Join("\n", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
