using Pipeline.Tests.Support;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Host;

/// <summary>A real HTTP endpoint on a free loopback port that keeps the first body it receives.</summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TaskCompletionSource<string> _body = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public string Url { get; }

    private WebhookListener(int port)
    {
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                var ctx = await _listener.GetContextAsync();
                using var reader = new StreamReader(ctx.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                ctx.Response.StatusCode = 204;
                ctx.Response.Close();
                _body.TrySetResult(body);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { _body.TrySetException(e); }
        });
    }

    public static WebhookListener Start() => new(FreePorts.One());

    public string WaitForBody(TimeSpan timeout) =>
        _body.Task.Wait(timeout) ? _body.Task.Result : throw new TimeoutException("no POST reached the webhook");

    public void Dispose() => _listener.Close();
}
