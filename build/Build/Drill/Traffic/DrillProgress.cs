using System.Globalization;
using Pipeline.Drill.Report;

namespace Pipeline.Drill.Traffic;

/// <summary>
/// The drill's progress while it runs: current phase, elapsed/remaining, live failed count and the p99 of the last
/// 10 s. On a terminal one line rewritten in place (every 500 ms); when the output is not a terminal, or NO_COLOR /
/// CI is set, a plain line every 10 s instead — carriage returns in a CI log are one unreadable line per update.
/// </summary>
public sealed class DrillProgress : IAsyncDisposable
{
    private readonly DrillTraffic _traffic;
    private readonly TimeSpan _planned;
    private readonly TextWriter _out;
    private readonly bool _inPlace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _phase = "starting";
    private int _lastWidth;

    public DrillProgress(DrillTraffic traffic, TimeSpan planned, TextWriter? output = null, bool? inPlace = null)
    {
        _traffic = traffic;
        _planned = planned;
        _out = output ?? Console.Out;
        _inPlace = inPlace ?? UseInPlace(Console.IsOutputRedirected, Environment.GetEnvironmentVariable);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>One updating line only on an interactive terminal without NO_COLOR or CI.</summary>
    public static bool UseInPlace(bool outputRedirected, Func<string, string?> env) =>
        !outputRedirected && string.IsNullOrEmpty(env("NO_COLOR")) && string.IsNullOrEmpty(env("CI"));

    /// <summary>The phases call this as each one starts.</summary>
    public void Phase(string name)
    {
        _phase = name;
        if (!_inPlace) Print(Line());
    }

    public string Line()
    {
        var now = DateTimeOffset.UtcNow;
        var recent = _traffic.Between(now - TimeSpan.FromSeconds(10), now);
        return Format(_phase, now - _traffic.StartedAt, _planned, _traffic.RequestCount, _traffic.FailedCount, CutoverWindowRule.P99(recent));
    }

    /// <summary>The line (pure): "[phase] 03:12 / 25:00 (21:48 left) | 38,400 requests, 0 failed | p99 (10 s) 12.4 ms".</summary>
    public static string Format(string phase, TimeSpan elapsed, TimeSpan planned, int requests, int failed, double p99Ms)
    {
        var left = planned - elapsed;
        var remaining = left > TimeSpan.Zero ? $"{Clock(left)} left" : $"{Clock(-left)} over plan";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{phase}] {Clock(elapsed)} / {Clock(planned)} ({remaining}) | {requests:N0} requests, {failed:N0} failed | p99 (10 s) {p99Ms:0.0} ms");
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_inPlace ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Print(Line());
        }
        catch (OperationCanceledException) { }
    }

    private void Print(string line)
    {
        lock (_out)
        {
            if (!_inPlace) { _out.WriteLine(line); return; }
            // Pad over the previous, longer line instead of clearing with ANSI codes (works on any terminal).
            _out.Write("\r" + line.PadRight(_lastWidth));
            _lastWidth = line.Length;
        }
    }

    /// <summary>Stops updating and leaves the last state on its own line.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        lock (_out)
        {
            if (_inPlace) _out.Write("\r" + Line().PadRight(_lastWidth) + "\n");
            else _out.WriteLine(Line());
        }
    }
}
