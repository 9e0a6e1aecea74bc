using System.ComponentModel.Design;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Pipeline.Host;

/// <summary>Cake.Core's real services wired the way Cake.Frosting wires them (the host and tests share this).</summary>
public static class CakeContextFactory
{
    public static ICakeContext Create(ILookup<string, string> arguments, ICakeLog log)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var fileSystem = new FileSystem();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var toolLocator = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeContext(fileSystem, environment, globber, log, new CakeArguments(arguments),
            new ProcessRunner(fileSystem, environment, log, toolLocator, configuration),
            new WindowsRegistry(), toolLocator, new CakeDataService(), configuration,
            new ToolInstaller(environment, toolLocator, configuration, log, []),
            new ServiceContainer());
    }

    /// <summary>A context for tests and tools: arguments as <c>--key=value</c> strings, a log that collects lines.</summary>
    public static ICakeContext Create(params string[] args) =>
        Create(HostArguments.Parse(args).Lookup, new CakeBuildLog(new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime())), Verbosity.Quiet));
}
