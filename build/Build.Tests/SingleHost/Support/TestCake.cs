using Cake.Core;
using Cake.Core.Diagnostics;
using Pipeline.Host;

namespace Pipeline.Tests.SingleHost.Support;

/// <summary>A real Cake context (process runner, log at Normal so drills show their steps), wired like BuildHost does.</summary>
public static class TestCake
{
    public static ICakeContext Create(params string[] args) =>
        CakeContextFactory.Create(HostArguments.Parse(args).Lookup,
            new CakeBuildLog(new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime())), Verbosity.Normal));
}
