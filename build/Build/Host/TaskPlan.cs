using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.Graph;

namespace Pipeline.Host;

/// <summary>The order Cake will run a target's tasks in, from the same graph builder the engine uses.</summary>
public static class TaskPlan
{
    public static IReadOnlyList<string> For(Assembly assembly, string target)
    {
        var engine = new CakeEngine(new CakeDataService(), new NullLog());
        foreach (var task in TaskInfo.All(assembly))
        {
            var builder = engine.RegisterTask(task.Name);
            foreach (var dep in task.Dependencies) builder.IsDependentOn(dep);
        }
        return CakeGraphBuilder.Build(engine.Tasks).Traverse(target).ToList();
    }
}
