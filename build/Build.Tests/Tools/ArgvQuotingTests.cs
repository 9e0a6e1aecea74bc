using Pipeline.Tools;

namespace Pipeline.Tests.Tools;

public class ArgvQuotingTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("sum(rate(http_requests_total{status_class=\"5xx\"}[1m]))")]
    [InlineData("back\\slash\\")]
    [InlineData("quote\\\"inside")]
    [InlineData("it's")]
    [InlineData("")]
    public void Round_trips_through_dotnet_argument_parsing(string arg)
    {
        // .NET on Linux splits ProcessStartInfo.Arguments with the same rules it uses here.
        var psi = new System.Diagnostics.ProcessStartInfo("printf", "%s\\0 " + ArgvQuoting.Quote(arg))
        {
            RedirectStandardOutput = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(arg + "\0", output);
    }
}
