using Pipeline.SingleHost;

namespace Pipeline.Tests.SingleHost.Support;

/// <summary>Steady requests through the LB (about 50/s) while a release runs; counts answers and failures.</summary>
public sealed class BackgroundTraffic : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _ok, _failed;
    public List<string> Failures { get; } = [];

    public BackgroundTraffic(int lbPort, bool tolerateErrors = false, string path = "/orders?limit=1")
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var r = await SingleHostSession.Http.GetAsync($"http://127.0.0.1:{lbPort}{path}");
                    if (r.IsSuccessStatusCode || tolerateErrors) Interlocked.Increment(ref _ok);
                    else { Interlocked.Increment(ref _failed); lock (Failures) Failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} HTTP {(int)r.StatusCode}"); }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref _failed);
                    lock (Failures) Failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Message}");
                }
                try { await Task.Delay(20, _stop.Token); } catch (TaskCanceledException) { }
            }
        });
    }

    public (int Ok, int Failed) Stop()
    {
        _stop.Cancel();
        _loop.Wait();
        return (_ok, _failed);
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested) Stop();
    }
}
