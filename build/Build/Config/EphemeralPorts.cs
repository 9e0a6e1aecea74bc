using System.Globalization;

namespace Pipeline.Config;

/// <summary>
/// A server port inside the kernel's ephemeral range can be taken by any outgoing connection while the server is
/// down: the first drill's PostgreSQL outage ended with "could not bind 127.0.0.1:55432: Address already in use"
/// after 20 s of 200 req/s through HAProxy, and every later phase failed. The environment's ports must lie outside it.
/// </summary>
public static class EphemeralPorts
{
    public const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>The host's range (Linux); null where the file does not exist.</summary>
    public static (int From, int To)? HostRange(string file = RangeFile)
    {
        if (!File.Exists(file)) return null;
        var parts = File.ReadAllText(file).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture)) : null;
    }

    public static string? Overlap(IEnumerable<int> ports, (int From, int To)? range)
    {
        if (range is not { } r) return null;
        var inside = ports.Where(p => p >= r.From && p <= r.To).Order().ToList();
        return inside.Count == 0 ? null
            : $"singleHost: port(s) {string.Join(", ", inside)} lie in the host's ephemeral port range {r.From}-{r.To} ({RangeFile}): an outgoing connection can take one while its server restarts; pick ports below {r.From}";
    }
}
