using System.Text.Json;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using Orders.Api.Configuration;
using Orders.Api.Data;
using Orders.Api.Http;
using Orders.Api.Migrations;

namespace Orders.Api.Commands;

/// <summary>
/// `Orders.Api migrate [--to N] | --status`. Results (JSON) go to stdout, logs (JSON) to stderr, so a
/// pipeline can parse the one and keep the other. Exit codes: 0 done or nothing to do, 1 failed (e.g. the
/// database is unreachable), 2 usage or configuration error, 3 refused by the schema contract.
/// </summary>
public static class MigrateCommand
{
    public const string Usage = "usage: Orders.Api migrate [--to N] | migrate --status   (default target: this build's schema max)";

    public static async Task<int> RunAsync(string[] args, BuildInfo build)
    {
        var status = false;
        int? target = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--status": status = true; break;
                case "--to" when i + 1 < args.Length && int.TryParse(args[i + 1], out var to) && to >= 1 && to <= MigrationCatalog.Latest:
                    target = to; i++; break;
                case "--to":
                    Console.Error.WriteLine($"--to needs a schema version between 1 and {MigrationCatalog.Latest}.");
                    Console.Error.WriteLine(Usage);
                    return Migrator.ExitUsage;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}' (there is deliberately no --force).");
                    Console.Error.WriteLine(Usage);
                    return Migrator.ExitUsage;
            }
        }
        if (status && target is not null)
        {
            Console.Error.WriteLine(Usage);
            return Migrator.ExitUsage;
        }

        AppSettings settings;
        try
        {
            settings = AppSettings.FromEnvironment();
        }
        catch (ConfigurationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return Migrator.ExitUsage;
        }

        using var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        var logger = loggerFactory.CreateLogger("Orders.Api.Migrate");
        await using var db = Database.CreateDataSource(settings, build, "migrate");
        var migrator = new Migrator(db, settings, build, logger);
        try
        {
            if (status)
            {
                var report = await migrator.StatusAsync(CancellationToken.None);
                Console.Out.WriteLine(JsonSerializer.Serialize(report, AppJsonContext.Default.MigrationStatusReport));
                return Migrator.ExitOk;
            }
            var result = await migrator.MigrateAsync(target ?? build.Schema.Max, CancellationToken.None);
            Console.Out.WriteLine(JsonSerializer.Serialize(result, AppJsonContext.Default.MigrationResult));
            return result.ExitCode;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogError(ex, "Migration failed: {Error}", ex.Message);
            return Migrator.ExitFailed;
        }
    }
}
