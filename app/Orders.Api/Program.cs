using Orders.Api.Commands;
using Orders.Api.Configuration;
using Orders.Api.Hosting;

// One binary, four entry points: the web server (default), the one-off schema migration job, the contract query
// the pipeline runs against an image before deciding the rollout order, and the smoke check `helm test` runs.
var build = BuildInfo.Current;
switch (args.FirstOrDefault())
{
    case "migrate":
        return await MigrateCommand.RunAsync(args[1..], build);
    case "schema-contract":
        return SchemaContractCommand.Run(build);
    case "smoke":
        return await SmokeCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

AppSettings settings;
try
{
    settings = AppSettings.FromEnvironment();
}
catch (ConfigurationException ex)
{
    // Plain text on stderr and exit 2: the first thing `kubectl logs --previous` shows is the cause.
    Console.Error.WriteLine($"Orders.Api {build.Version}: {ex.Message}");
    return 2;
}

var app = AppHost.Build(args, settings, build);
await app.RunAsync();
return 0;
