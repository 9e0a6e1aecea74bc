using System.Diagnostics;
using System.Reflection;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Pipeline.Host;

/// <summary>
/// The one place that wires Cake.Core's real engine (graph, criteria, error handling, report) the way
/// Cake.Frosting's CakeHost does. Everything else is a task, a lifetime or a context.
/// </summary>
public sealed class BuildHost<TContext, TLifetime>(Func<ICakeContext, TContext> createContext)
    where TContext : ICakeContext, IBuildRunObserver
    where TLifetime : FrostingLifetime<TContext>, new()
{
    public Assembly TaskAssembly { get; init; } = typeof(TContext).Assembly;

    public async Task<int> RunAsync(string[] args)
    {
        var arguments = HostArguments.Parse(args);
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var console = new CakeConsole(environment);
        var log = new CakeBuildLog(console, arguments.Verbosity);
        if (arguments.Errors.Count > 0)
        {
            foreach (var e in arguments.Errors) log.Error(e);
            return 2;
        }

        var engine = new CakeEngine(new CakeDataService(), log);
        var tasks = TaskInfo.All(TaskAssembly);
        var instances = tasks.ToDictionary(t => t.Name, t => (IFrostingTask)Activator.CreateInstance(t.Type)!);

        // An unknown target is bad input like any other argument: exit 2 before anything runs, with the valid ones.
        if (!instances.ContainsKey(arguments.Target) && !instances.Keys.Contains(arguments.Target, StringComparer.OrdinalIgnoreCase))
        {
            log.Error("Unknown target '{0}'. Targets: {1}.", arguments.Target, string.Join(", ", tasks.Select(t => t.Name).Order(StringComparer.Ordinal)));
            return 2;
        }

        if (arguments.Tree)
        {
            console.WriteLine(TaskTree.Render(tasks, arguments.Target));
            return 0;
        }

        var cakeContext = CakeContextFactory.Create(arguments.Lookup, log);

        TContext context;
        try { context = createContext(cakeContext); }
        catch (Exception e) { log.Error(e.Message); return 2; }

        var skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
        {
            var builder = engine.RegisterTask(task.Name).Description(task.Description);
            foreach (var dep in task.Dependencies) builder.IsDependentOn(dep);
            var instance = instances[task.Name];
            builder.WithCriteria(_ =>
                {
                    if (instance.ShouldRun(context)) return true;
                    // Reported here and only here (AfterTaskTeardown skips it): Cake raises no task events for a
                    // skipped target, but it does for a skipped dependency — reported twice, the summary listed it twice.
                    if (skipped.Add(task.Name)) context.OnTaskFinished(task.Name, TimeSpan.Zero, TaskOutcome.Skipped);
                    return false;
                })
                .Does(async () =>
                {
                    // Not Cake's OnError: a registered handler marks the error as handled and the run
                    // would go on. The task sees its failure, and the failure still stops the run.
                    try { await instance.RunAsync(context); }
                    catch (Exception e) { instance.OnError(e, context); throw; }
                })
                .Finally(() => instance.Finally(context));
        }

        var lifetime = new TLifetime();
        engine.RegisterSetupAction(info => lifetime.Setup(context, info));
        engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        var clock = new Dictionary<string, Stopwatch>();
        engine.BeforeTaskSetup += (_, e) => context.OnTaskStarting(e.TaskSetupContext.Task.Name);
        engine.AfterTaskTeardown += (_, e) =>
        {
            var t = e.TaskTeardownContext;
            if (t.Skipped && skipped.Contains(t.Task.Name)) return;
            context.OnTaskFinished(t.Task.Name, t.Duration, t.Skipped ? TaskOutcome.Skipped
                : e.TaskTeardownContext.Successful ? TaskOutcome.Succeeded : TaskOutcome.Failed);
        };

        try
        {
            var settings = new ExecutionSettings().SetTarget(arguments.Target);
            await engine.RunTargetAsync(cakeContext, new DefaultExecutionStrategy(log, new CakeReportPrinter(console, cakeContext)), settings);
            context.OnRunFinished(null);
            return 0;
        }
        catch (Exception e) when (skipped.Contains(arguments.Target) && Unwrap(e).Message.StartsWith("Could not reach target", StringComparison.Ordinal))
        {
            // The target itself decided it does not apply here (its ShouldRun logged why): that is not a failure.
            context.OnRunFinished(null);
            return 0;
        }
        catch (Exception e)
        {
            // The error before the summary: the run's last lines (summary, test count) are what people and CI read.
            log.Error("Error: {0}", Unwrap(e).Message);
            context.OnRunFinished(e);
            return 1;
        }
    }

    private static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]!)
        : e is TargetInvocationException { InnerException: not null } t ? Unwrap(t.InnerException!) : e;
}

public enum TaskOutcome { Succeeded, Skipped, Failed }

/// <summary>What the host tells the context about the run, so it can print and record it.</summary>
public interface IBuildRunObserver
{
    void OnTaskStarting(string task);
    void OnTaskFinished(string task, TimeSpan duration, TaskOutcome outcome);
    void OnRunFinished(Exception? failure);
}
