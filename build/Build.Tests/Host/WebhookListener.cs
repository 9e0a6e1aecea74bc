using Pipeline.Tests.Support;
using System.Net;

namespace Pipeline.Tests.Host;

/// <summary>
/// A real HTTP endpoint on a free loopback port. It answers the scripted statuses in order (then 204 to every
/// later request), counts the requests and keeps the first body it answers with a success.
/// </summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TaskCompletionSource<string> _body = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;
    public string Url { get; }
    public int Requests => Volatile.Read(ref _requests);

    private WebhookListener(int port, Queue<int> statuses)
    {
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var ctx = await _listener.GetContextAsync();
                    Interlocked.Increment(ref _requests);
                    using var reader = new StreamReader(ctx.Request.InputStream);
                    var body = await reader.ReadToEndAsync();
                    var status = statuses.Count > 0 ? statuses.Dequeue() : 204;
                    ctx.Response.StatusCode = status;
                    ctx.Response.Close();
                    if (status < 300) _body.TrySetResult(body);
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { _body.TrySetException(e); }
        });
    }

    /// <param name="statuses">What the first requests are answered with (e.g. 503 then 204); 204 after them.</param>
    public static WebhookListener Start(params int[] statuses) => new(FreePorts.One(), new Queue<int>(statuses));

    public string WaitForBody(TimeSpan timeout) =>
        _body.Task.Wait(timeout) ? _body.Task.Result : throw new TimeoutException("no POST reached the webhook");

    public void Dispose() => _listener.Close();
}
