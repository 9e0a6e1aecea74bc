using Pipeline.Config;
using Pipeline.Host;
using Pipeline.Records;
using Pipeline.Tools;
using Cake.Core;

namespace Pipeline;

/// <summary>
/// The typed context every task receives: properties only. Filled from arguments and the environment's
/// configuration before any task runs. Areas (image, single-host, …) add their state in partial files.
/// </summary>
public sealed partial class BuildContext : CakeContextAdapter, IBuildRunObserver
{
    public BuildContext(ICakeContext context, IToolRunner? runner = null) : base(context)
    {
        EnvironmentName = context.Arguments.GetArguments(Args.Env).LastOrDefault() ?? "local";
        DryRun = context.Arguments.GetArguments(Args.DryRun).Any(v => v != "false");
        Paths = BuildPaths.Discover(EnvironmentName);
        Config = ConfigLoader.Load(Paths.Environments, EnvironmentName);
        Runner = runner ?? new ToolRunner(context, DryRun, [Paths.ToolsDir, "/usr/lib/postgresql/15/bin", "/usr/sbin"]);
        Record = new RunRecord
        {
            Target = context.Arguments.GetArguments("target").LastOrDefault() ?? HostArguments.DefaultTarget,
            Environment = EnvironmentName,
            DryRun = DryRun,
            Actor = Actor,
            Revision = GitRevision.Read(Paths.RepoRoot),
        };
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

    public string? Argument(string name) => Arguments.GetArguments(name).LastOrDefault();
    public bool Flag(string name) => Arguments.GetArguments(name).Any(v => v != "false");

    void IBuildRunObserver.OnTaskStarting(string task) => RunReporter.TaskStarting(this, task);
    void IBuildRunObserver.OnTaskFinished(string task, TimeSpan duration, TaskOutcome outcome) => RunReporter.TaskFinished(this, task, duration, outcome);
    void IBuildRunObserver.OnRunFinished(Exception? failure) => RunReporter.RunFinished(this, failure);
}
