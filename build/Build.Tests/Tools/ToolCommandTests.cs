using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

public class ToolCommandTests
{
    [Fact]
    public void Renders_shell_quoted_with_secrets_masked()
    {
        var cmd = new ToolCommand("psql", "-c", "ALTER ROLE app PASSWORD 's3cret'") { Secrets = ["s3cret"] };
        Assert.Equal("psql -c 'ALTER ROLE app PASSWORD '\\''***'\\'''", cmd.ToString());
    }

    [Fact]
    public void Dotnet_test_command_is_exact()
    {
        var cmd = DotNetCommands.Test("t.csproj", "out", "Category!=Integration");
        Assert.Equal(
            "dotnet test t.csproj --configuration Release --no-build --nologo --results-directory out --logger trx --logger 'console;verbosity=minimal' --collect 'XPlat Code Coverage' --filter 'Category!=Integration'",
            cmd.ToString());
    }
}
