using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Configuration;
using Orders.Api.Flags;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Flags;

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FlagsReloadTests(PostgresServer server)
{
    [Fact]
    public async Task Changing_the_flags_file_switches_the_read_column_without_a_restart()
    {
        var db = await server.CreateDatabaseAsync();
        await db.MigrateAsync(3);
        var flagsFile = Path.Combine(Path.GetTempPath(), $"orders-flags-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(flagsFile, """{"readTotalFromCents": true}""");
        try
        {
            var settings = db.Settings(new Dictionary<string, string?> { [AppSettings.FlagsFileVar] = flagsFile });
            settings.FlagsPollInterval = TimeSpan.FromMilliseconds(100);
            await using var app = await TestApp.StartAsync(settings, release: 2);
            var id = (await (await app.Client.PostJsonAsync("/orders", """{"customerId":"f","total":7.00,"currency":"EUR"}""")).JsonAsync()).GetProperty("id").GetString();
            // Make the two columns disagree so the read path is observable.
            await db.ExecuteAsync($"UPDATE orders SET total = 8.00 WHERE id = '{id}'");

            Assert.Equal(7.00m, await TotalAsync(app, id));
            await File.WriteAllTextAsync(flagsFile, """{"readTotalFromCents": false}""");
            await WaitForAsync(async () => await TotalAsync(app, id) == 8.00m);

            // An invalid file keeps the last good flags instead of falling back to defaults.
            await File.WriteAllTextAsync(flagsFile, """{"readTotalFromCents": fals""");
            await Task.Delay(400);
            Assert.Equal(8.00m, await TotalAsync(app, id));
            Assert.False(app.Services.GetRequiredService<FeatureFlags>().Current.ReadTotalFromCents);

            // Removing the flag returns to the release default (release 2 reads total_cents).
            await File.WriteAllTextAsync(flagsFile, "{}");
            await WaitForAsync(async () => await TotalAsync(app, id) == 7.00m);
        }
        finally
        {
            File.Delete(flagsFile);
        }
    }

    [Fact]
    public void Read_path_defaults_follow_the_release_and_release_3_ignores_the_flag()
    {
        Assert.False(new FlagsDocument((bool?)null).ReadsTotalFromCents(1));
        Assert.True(new FlagsDocument((bool?)null).ReadsTotalFromCents(2));
        Assert.True(new FlagsDocument(true).ReadsTotalFromCents(1));
        Assert.False(new FlagsDocument(false).ReadsTotalFromCents(2));
        Assert.True(new FlagsDocument(false).ReadsTotalFromCents(3));
    }

    static async Task<decimal> TotalAsync(TestApp app, string? id) =>
        (await (await app.Client.GetAsync($"/orders/{id}")).JsonAsync()).GetProperty("total").GetDecimal();

    static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("condition not met within 5 s");
    }
}
