using Orders.Bench;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// CPU steal per second from /proc/stat, recorded beside the latency it explains: on this VM steal jumps to
/// 15–36 % for seconds at a time and moves p99 more than load does, so a cutover window is only judged when its
/// steal stayed low (<see cref="Report.CutoverWindowRule"/>). <paramref name="read"/> is the /proc/stat reader.
/// </summary>
public sealed class StealSampler : IAsyncDisposable
{
    private readonly List<StealSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StealSampler(Func<CpuSample>? read = null, TimeSpan? interval = null)
    {
        var reader = read ?? CpuSample.Read;
        var every = interval ?? TimeSpan.FromSeconds(1);
        _loop = Task.Run(async () =>
        {
            var previous = reader();
            using var timer = new PeriodicTimer(every);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var now = reader();
                    lock (_samples) _samples.Add(new StealSample(DateTimeOffset.UtcNow, Math.Round(CpuSample.StealPercent(previous, now), 2)));
                    previous = now;
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    public IReadOnlyList<StealSample> Samples
    {
        get { lock (_samples) return [.. _samples]; }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
    }
}
