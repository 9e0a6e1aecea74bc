using Cake.Core;

namespace Pipeline.Host;

/// <summary>Cake.Frosting's lifetime shape: fill the context before the first task, clean up after the last.</summary>
public abstract class FrostingLifetime<TContext> where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);
    public abstract void Teardown(TContext context, ITeardownContext info);
}
