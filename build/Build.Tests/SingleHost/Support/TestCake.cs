using Cake.Core;
using Cake.Core.Diagnostics;
using Pipeline.Host;

namespace Pipeline.Tests.SingleHost.Support;

/// <summary>A real Cake context (process runner, log at Normal so drills show their steps), wired like BuildHost does.</summary>
public static class TestCake
{
    public static ICakeContext Create(params string[] args) =>
        CakeContextFactory.Create(HostArguments.Parse(args).Lookup,
            new CakeBuildLog(new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime())), LogVerbosity));

    /// <summary>PIPELINE_TEST_VERBOSITY=diagnostic also prints every external command with its duration (ToolRunner).</summary>
    private static Verbosity LogVerbosity =>
        Enum.TryParse<Verbosity>(Environment.GetEnvironmentVariable("PIPELINE_TEST_VERBOSITY"), ignoreCase: true, out var v) ? v : Verbosity.Normal;
}
