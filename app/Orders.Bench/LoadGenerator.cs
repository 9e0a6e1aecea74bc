using System.Diagnostics;

namespace Orders.Bench;

public sealed record LoadResult(string Name, int Sent, int Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double Rps => Sent / Seconds;
}

/// <summary>
/// Two senders. Closed loop (N workers, each waits for its response) finds the throughput ceiling. Open loop
/// sends on an even schedule regardless of responses and times each request from its *scheduled* send time,
/// so a stall shows up in the tail instead of silently lowering the offered load (coordinated omission).
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> ClosedLoopAsync(string name, HttpClient client, int concurrency, TimeSpan duration,
        Func<long, HttpRequestMessage> request)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        long counter = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(16_384);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (!await SendAsync(client, request(Interlocked.Increment(ref counter)))) Interlocked.Increment(ref errors);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }));
        return Summarize(name, latencies.SelectMany(l => l).ToList(), errors, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    public static async Task<LoadResult> OpenLoopAsync(string name, HttpClient client, double ratePerSecond, Func<bool> keepGoing,
        Func<long, HttpRequestMessage> request)
    {
        var interval = Stopwatch.Frequency / ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task<(double Ms, bool Ok)>>();
        for (long i = 0; keepGoing(); i++)
        {
            var scheduled = start + (long)(i * interval);
            var wait = (scheduled - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
            var message = request(i);
            inFlight.Add(Task.Run(async () =>
            {
                var ok = await SendAsync(client, message);
                return ((Stopwatch.GetTimestamp() - scheduled) * 1000.0 / Stopwatch.Frequency, ok);
            }));
        }
        var results = await Task.WhenAll(inFlight);
        return Summarize(name, results.Select(r => r.Ms).ToList(), results.Count(r => !r.Ok),
            Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    static async Task<bool> SendAsync(HttpClient client, HttpRequestMessage message)
    {
        try
        {
            using var response = await client.SendAsync(message);
            await response.Content.LoadIntoBufferAsync();
            return (int)response.StatusCode < 400;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
        finally { message.Dispose(); }
    }

    static LoadResult Summarize(string name, List<double> latencies, int errors, double seconds)
    {
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        return new(name, latencies.Count, errors, seconds, P(0.50), P(0.99), latencies.Count == 0 ? double.NaN : latencies[^1]);
    }
}
