using System.Net;
using Orders.Api.Commands;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests.Commands;

/// <summary>`smoke` (the chart's helm test) against a real HTTP listener on a free loopback port.</summary>
public sealed class SmokeCommandTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _base;

    public SmokeCommandTests()
    {
        _base = $"http://127.0.0.1:{PostgresServer.FreePort()}/";
        _listener.Prefixes.Add(_base);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); } catch (Exception) { return; }
                ctx.Response.StatusCode = ctx.Request.Url!.AbsolutePath == "/healthz/ready" ? 200 : 503;
                ctx.Response.Close();
            }
        });
    }

    public void Dispose() => _listener.Close();

    [Fact]
    public async Task All_2xx_exits_0()
    {
        var (out_, err) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await SmokeCommand.RunAsync([_base + "healthz/ready", _base + "healthz/ready"], out_, err));
        Assert.Contains("ok   200 " + _base + "healthz/ready", out_.ToString());
    }

    [Fact]
    public async Task A_non_2xx_answer_exits_1_and_names_the_url()
    {
        var (out_, err) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, await SmokeCommand.RunAsync([_base + "healthz/ready", _base + "orders?limit=1"], out_, err));
        Assert.Contains("FAIL 503 " + _base + "orders?limit=1", err.ToString());
    }

    [Fact]
    public async Task Nothing_listening_exits_1()
    {
        var (out_, err) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, await SmokeCommand.RunAsync([$"http://127.0.0.1:{PostgresServer.FreePort()}/healthz/ready"], out_, err));
        Assert.StartsWith("FAIL http://127.0.0.1:", err.ToString());
    }

    [Theory]
    [InlineData()]
    [InlineData("/healthz/ready")]
    [InlineData("ftp://x/y")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var err = new StringWriter();
        Assert.Equal(2, await SmokeCommand.RunAsync(args, new StringWriter(), err));
        Assert.Contains("usage: Orders.Api smoke", err.ToString());
    }
}
