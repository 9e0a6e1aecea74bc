using System.ComponentModel.Design;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Pipeline.Host;

namespace Pipeline.Tests.SingleHost.Support;

/// <summary>A real Cake context (process runner, log) for integration tests, wired like BuildHost does.</summary>
public static class TestCake
{
    public static ICakeContext Create(params string[] args)
    {
        var arguments = HostArguments.Parse(args);
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var log = new CakeBuildLog(new CakeConsole(environment), Verbosity.Normal);
        var fileSystem = new FileSystem();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var toolLocator = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeContext(fileSystem, environment, globber, log, new CakeArguments(arguments.Lookup),
            new ProcessRunner(fileSystem, environment, log, toolLocator, configuration),
            new WindowsRegistry(), toolLocator, new CakeDataService(), configuration,
            new ToolInstaller(environment, toolLocator, configuration, log, []),
            new ServiceContainer());
    }
}
