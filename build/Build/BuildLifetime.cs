using Pipeline.Host;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Pipeline;

public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        var env = context.Config;
        context.Log.Information("Target        {0}", info.TargetTask.Name);
        context.Log.Information("Environment   {0} ({1}, {2})", context.EnvironmentName, env.Target, env.SourceFile);
        context.Log.Information("Strategy      {0}, {1} replicas", env.Strategy.Kind, env.Replicas);
        context.Log.Information("Registry      {0}/{1}", env.Image.Registry, env.Image.Repository);
        context.Log.Information("Revision      {0}", context.Record.Revision);
        context.Log.Information("Actor         {0}", context.Actor);
        if (context.DryRun) context.Log.Warning("Dry run: no external command will be executed.");
        context.Log.Information("Plan          {0}", string.Join(" → ", info.TasksToExecute.Select(t => t.Name)));
    }

    // The load tester never outlives the run, whichever task failed; the GitHub deployment (if one was started)
    // gets the run's outcome.
    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.StopTraffic();
        Pipeline.GitHub.GitHubReporting.DeploymentFinished(context, info.Successful, info.ThrownException);
    }
}
