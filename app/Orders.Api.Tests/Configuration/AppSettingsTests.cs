using Orders.Api.Configuration;

namespace Orders.Api.Tests.Configuration;

public sealed class AppSettingsTests : IDisposable
{
    readonly string _passwordFile = Path.GetTempFileName();

    public AppSettingsTests() => File.WriteAllText(_passwordFile, "s3cret\n");

    public void Dispose() => File.Delete(_passwordFile);

    Dictionary<string, string?> Valid() => new()
    {
        [AppSettings.DbHostVar] = "db", [AppSettings.DbNameVar] = "orders", [AppSettings.DbUserVar] = "app",
        [AppSettings.DbPasswordFileVar] = _passwordFile,
    };

    static AppSettings Load(Dictionary<string, string?> env) => AppSettings.Load(k => env.GetValueOrDefault(k));

    [Fact]
    public void Defaults_apply_and_the_password_comes_from_the_file_without_its_newline()
    {
        var settings = Load(Valid());
        Assert.Equal("s3cret", settings.DbPassword);
        Assert.Equal(5432, settings.DbPort);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.DrainDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.ShutdownTimeout);
        Assert.Equal(TimeSpan.Zero, settings.WarmupDelay);
        Assert.Equal(64 * 1024, settings.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.InstanceStaleAfter);
        Assert.Equal(5000, settings.BackfillBatchSize);
        Assert.Equal(Environment.MachineName, settings.InstanceId);
        Assert.False(settings.FaultsEnabled);
        Assert.Null(settings.FlagsFile);
        Assert.DoesNotContain("s3cret", settings.ToString());
    }

    [Fact]
    public void Every_missing_required_variable_is_named()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(new()));
        Assert.Contains(ex.Errors, e => e.StartsWith("ORDERS_DB_HOST is required"));
        Assert.Contains(ex.Errors, e => e.StartsWith("ORDERS_DB_NAME is required"));
        Assert.Contains(ex.Errors, e => e.StartsWith("ORDERS_DB_USER is required"));
        Assert.Contains(ex.Errors, e => e.StartsWith("ORDERS_DB_PASSWORD_FILE is required"));
    }

    [Theory]
    [InlineData(AppSettings.DbPortVar, "70000")]
    [InlineData(AppSettings.DbPortVar, "abc")]
    [InlineData(AppSettings.DrainDelayVar, "-1")]
    [InlineData(AppSettings.FaultErrorRateVar, "1.5")]
    [InlineData(AppSettings.FaultExtraLatencyVar, "lots")]
    [InlineData(AppSettings.MaxBodyBytesVar, "0")]
    [InlineData(AppSettings.WarmupDelayVar, "1.5")]
    [InlineData(AppSettings.InstanceIdVar, "local s1")]
    [InlineData(AppSettings.InstanceIdVar, "pod-\u00e9")]
    public void Out_of_range_values_are_rejected_with_the_variable_name(string variable, string value)
    {
        var env = Valid();
        env[variable] = value;
        var ex = Assert.Throws<ConfigurationException>(() => Load(env));
        Assert.Contains(ex.Errors, e => e.StartsWith(variable));
    }

    [Fact]
    public void Drain_delay_must_be_shorter_than_the_shutdown_timeout()
    {
        var env = Valid();
        env[AppSettings.DrainDelayVar] = "20";
        env[AppSettings.ShutdownTimeoutVar] = "20";
        var ex = Assert.Throws<ConfigurationException>(() => Load(env));
        Assert.Contains(ex.Errors, e => e.StartsWith(AppSettings.ShutdownTimeoutVar));
    }

    [Fact]
    public void Empty_or_missing_password_files_are_errors()
    {
        var env = Valid();
        File.WriteAllText(_passwordFile, "\n");
        Assert.Contains(Assert.Throws<ConfigurationException>(() => Load(env)).Errors, e => e.Contains("empty file"));
        env[AppSettings.DbPasswordFileVar] = "/nonexistent/secret";
        Assert.Contains(Assert.Throws<ConfigurationException>(() => Load(env)).Errors, e => e.Contains("cannot be read"));
    }

    [Fact]
    public void Fault_injection_needs_explicit_configuration()
    {
        var env = Valid();
        env[AppSettings.FaultErrorRateVar] = "0.1";
        env[AppSettings.FaultExtraLatencyVar] = "250";
        var settings = Load(env);
        Assert.True(settings.FaultsEnabled);
        Assert.Equal(0.1, settings.FaultErrorRate);
        Assert.Equal(250, settings.FaultExtraLatencyMs);
    }
}
