using System.Text.Json;
using Orders.Api.Configuration;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Commands;

/// <summary>The CLI contract the pipeline depends on: output formats and exit codes of the real binary.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CommandLineTests(PostgresServer server)
{
    [Fact]
    public async Task Schema_contract_prints_version_and_schema_range_as_json_without_a_database()
    {
        var (exit, stdout, _) = await ChildApp.RunAsync(new Dictionary<string, string?>(), "schema-contract");
        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(stdout).RootElement;
        var expected = BuildInfo.Current;
        Assert.Equal(expected.Version, json.GetProperty("version").GetString());
        Assert.Equal(expected.Schema.Min, json.GetProperty("schemaMin").GetInt32());
        Assert.Equal(expected.Schema.Max, json.GetProperty("schemaMax").GetInt32());
    }

    [Fact]
    public async Task Migrate_cli_applies_reports_status_and_exits_3_when_a_live_instance_needs_the_old_schema()
    {
        var db = await server.CreateDatabaseAsync();
        var env = db.Env();

        var (exit, stdout, _) = await ChildApp.RunAsync(env, "migrate", "--to", "3");
        Assert.Equal(0, exit);
        Assert.Equal(3, JsonDocument.Parse(stdout).RootElement.GetProperty("toVersion").GetInt32());

        await db.ExecuteAsync("""
            INSERT INTO app_instances (instance_id, app_version, app_release, schema_min, schema_max)
            VALUES ('pod-r2', '1.2.0', 2, 3, 3)
            """);
        var (refused, _, stderr) = await ChildApp.RunAsync(env, "migrate", "--to", "4");
        Assert.Equal(3, refused);
        Assert.Contains("pod-r2", stderr);
        Assert.Contains("Refusing migration 4", stderr);

        var (statusExit, status, _) = await ChildApp.RunAsync(env, "migrate", "--status");
        Assert.Equal(0, statusExit);
        var report = JsonDocument.Parse(status).RootElement;
        Assert.Equal(3, report.GetProperty("currentVersion").GetInt32());
        Assert.Equal("contract", report.GetProperty("pending")[0].GetProperty("phase").GetString());
        Assert.Equal("pod-r2", report.GetProperty("liveInstances")[0].GetProperty("instanceId").GetString());
    }

    [Theory]
    [InlineData("--to", "9")]
    [InlineData("--force")]
    public async Task Migrate_cli_rejects_bad_arguments_with_exit_2(params string[] args)
    {
        var (exit, _, stderr) = await ChildApp.RunAsync(new Dictionary<string, string?>(), ["migrate", .. args]);
        Assert.Equal(2, exit);
        Assert.Contains("usage: Orders.Api migrate", stderr);
    }

    [Fact]
    public async Task Invalid_configuration_exits_non_zero_naming_every_bad_variable()
    {
        var env = new Dictionary<string, string?>
        {
            [AppSettings.DbNameVar] = "x", [AppSettings.DbUserVar] = "y",
            [AppSettings.DbPasswordFileVar] = "/nonexistent/db-password",
            [AppSettings.DrainDelayVar] = "abc",
        };
        await using var child = ChildApp.Start(env);
        var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, exit);
        Assert.Contains("ORDERS_DB_HOST is required", child.Stderr);
        Assert.Contains("ORDERS_DB_PASSWORD_FILE points to a file that cannot be read", child.Stderr);
        Assert.Contains("ORDERS_DRAIN_DELAY_SECONDS must be an integer", child.Stderr);
    }
}
