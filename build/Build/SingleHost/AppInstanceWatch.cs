using System.Globalization;
using System.Text.Json;
using Pipeline.Tools;

namespace Pipeline.SingleHost;

/// <summary>One running app container as the watch knows it: its name and slot (the slot gives its loopback port).</summary>
public sealed record WatchedInstance(string Name, int Slot);

/// <summary>
/// The environment's running app containers, kept current by podman's event stream instead of a `podman ps` per
/// look (a Kubernetes informer's list-then-watch). One listing seeds it; <c>podman events</c>, replayed from a few
/// seconds before that listing, then adds an instance on <c>start</c> and removes it on <c>died</c>, <c>stop</c>,
/// <c>cleanup</c> or <c>remove</c> (podman's events once the process has ended): the last event of a container is its state, so replayed events that the listing already shows
/// change nothing. WHY: on this 2-core host each podman process costs ~0.15 CPU-s, and the release drill's
/// once-a-second listing of instances landed on the very cutovers whose p99 it measured.
/// A watch that ends is loud: <see cref="Running"/> throws with podman's own error, and the next call lists and
/// watches again.
/// </summary>
public sealed class AppInstanceWatch : IDisposable
{
    /// <summary>How far before the seeding listing the event stream starts: covers podman's start-up so no event falls between the two.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private readonly IToolRunner _runner;
    private readonly string _env;
    private readonly Func<IReadOnlyList<AppInstance>> _list;
    private readonly Func<DateTimeOffset> _clock;
    private readonly object _gate = new();
    private readonly Dictionary<string, WatchedInstance> _running = new(StringComparer.Ordinal);
    private IToolStream? _stream;
    private bool _disposed;

    public AppInstanceWatch(IToolRunner runner, string env, Func<IReadOnlyList<AppInstance>> list, Func<DateTimeOffset>? clock = null)
    {
        _runner = runner;
        _env = env;
        _list = list;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>Running instances, by name. Starts the watch on first use (and again after it ended).</summary>
    public IReadOnlyList<WatchedInstance> Running()
    {
        IToolStream? ended = null;
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_stream is { ExitCode: { } code })
                {
                    (ended, _stream) = (_stream, null);
                    var why = ended.ErrorTail;
                    throw new InvalidOperationException($"podman events ended (exit {code}){(why.Length > 0 ? ": " + why : "")}; the next look lists and watches again");
                }
                if (_stream is null) Seed();
                return [.. _running.Values.OrderBy(i => i.Slot)];
            }
        }
        // Outside the lock: the stream's reader thread may be waiting for it in OnLine.
        finally { ended?.Dispose(); }
    }

    // Under the lock: events that arrive while the listing runs wait in OnLine and are applied after it, in order.
    private void Seed()
    {
        _running.Clear();
        var since = _clock() - Overlap;
        _stream = _runner.Stream(Podman.ContainerEvents($"{SingleHostLayout.EnvLabel}={_env}", since), OnLine);
        foreach (var i in _list().Where(i => i.Running && i.Slot is not null)) _running[i.Name] = new WatchedInstance(i.Name, i.Slot!.Value);
    }

    private void OnLine(string line)
    {
        lock (_gate) Apply(line);
    }

    private void Apply(string line)
    {
        if (Parse(line) is not { } e) return;
        switch (e.Status)
        {
            case "start" when e.Slot is { } slot:
                _running[e.Name] = new WatchedInstance(e.Name, slot);
                break;
            case "died" or "stop" or "remove" or "cleanup":
                _running.Remove(e.Name);
                break;
        }
    }

    /// <summary>A container event: name, status and the slot label; null for anything else (podman's other output).</summary>
    public sealed record ContainerEvent(string Name, string Status, int? Slot);

    public static ContainerEvent? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.TrimStart()[0] != '{') return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("Type", out var type) || type.GetString() != "container") return null;
            if (!root.TryGetProperty("Name", out var name) || !root.TryGetProperty("Status", out var status)) return null;
            int? slot = root.TryGetProperty("Attributes", out var a) && a.ValueKind == JsonValueKind.Object
                && a.TryGetProperty(SingleHostLayout.SlotLabel, out var s)
                && int.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            return new ContainerEvent(name.GetString() ?? "", status.GetString() ?? "", slot);
        }
        catch (JsonException) { return null; }
    }

    public void Dispose()
    {
        IToolStream? stream;
        lock (_gate)
        {
            _disposed = true;
            (stream, _stream) = (_stream, null);
        }
        stream?.Dispose();
    }
}
