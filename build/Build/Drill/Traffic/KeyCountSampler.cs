namespace Pipeline.Drill.Traffic;

/// <summary>
/// The idempotency-keys table's size every 10 s: every write adds a key and the sweeper removes expired ones, so an
/// unbounded climb over a long drill would show a sweeper that stopped (a table that grows until the disk fills).
/// <paramref name="count"/> runs the query (psql through the ToolRunner on single-host); a failure is recorded as a
/// gap with its reason — during the database outage drill it is expected.
/// </summary>
public sealed class KeyCountSampler : IAsyncDisposable
{
    private readonly List<KeyCountSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public KeyCountSampler(Func<long> count, TimeSpan? interval = null)
    {
        var every = interval ?? TimeSpan.FromSeconds(10);
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(every);
            try
            {
                do
                {
                    KeyCountSample sample;
                    try { sample = new KeyCountSample(DateTimeOffset.UtcNow, count()); }
                    catch (Exception e) { sample = new KeyCountSample(DateTimeOffset.UtcNow, null, e.Message.Split('\n')[0]); }
                    lock (_samples) _samples.Add(sample);
                }
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException) { }
        });
    }

    public IReadOnlyList<KeyCountSample> Samples
    {
        get { lock (_samples) return [.. _samples]; }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
    }

    /// <summary>The query (on stdin of psql -At: one number back).</summary>
    public const string Sql = "SELECT count(*) FROM idempotency_keys;";
}
