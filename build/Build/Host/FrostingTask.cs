using System.Reflection;
using Cake.Core;

namespace Pipeline.Host;

/// <summary>Cake.Frosting's task shape: one class per task, a typed context, declared dependencies.</summary>
public interface IFrostingTask
{
    Task RunAsync(ICakeContext context);
    bool ShouldRun(ICakeContext context);
    void OnError(Exception exception, ICakeContext context);
    void Finally(ICakeContext context);
}

public abstract class FrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual void Run(TContext context) { }
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }

    Task IFrostingTask.RunAsync(ICakeContext context) { Run((TContext)context); return Task.CompletedTask; }
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

public abstract class AsyncFrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }

    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

/// <summary>A task's name, description and dependencies, read from its attributes.</summary>
public sealed record TaskInfo(Type Type, string Name, string Description, IReadOnlyList<string> Dependencies)
{
    public static TaskInfo Of(Type type)
    {
        var name = type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name.Replace("Task", "");
        var description = type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description ?? "";
        var deps = type.GetCustomAttributes<IsDependentOnAttribute>().Select(a => Of(a.Task).Name).ToList();
        return new TaskInfo(type, name, description, deps);
    }

    public static IReadOnlyList<TaskInfo> All(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IFrostingTask).IsAssignableFrom(t))
            .Select(Of)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
}
