using System.Net.Sockets;
using System.Text;

namespace Pipeline.Tools;

/// <summary>
/// HAProxy runtime API (stats socket, level admin): command strings are pure and unit-tested; <see cref="Send"/>
/// is the only I/O. Every change here applies without a reload, so no connection is ever dropped by it.
/// </summary>
public static class HaproxyRuntime
{
    public static string SetAddress(string backend, string server, string host, int port) => $"set server {backend}/{server} addr {host} port {port}";
    public static string SetState(string backend, string server, ServerAdminState state) => $"set server {backend}/{server} state {state.ToString().ToLowerInvariant()}";
    public static string SetWeight(string backend, string server, int weight) => $"set weight {backend}/{server} {weight}";
    public const string ShowStat = "show stat";
    public static string ShowServersState(string backend) => $"show servers state {backend}";

    /// <summary>Sends one command per connection (non-interactive mode) and returns HAProxy's answer.</summary>
    public static string Send(string socketPath, string command, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = socket.SendTimeout = (int)(timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send(Encoding.ASCII.GetBytes(command + "\n"));
        var sb = new StringBuilder();
        var buffer = new byte[16384];
        int n;
        while ((n = socket.Receive(buffer)) > 0) sb.Append(Encoding.ASCII.GetString(buffer, 0, n));
        var answer = sb.ToString();
        // set commands answer with an empty line on success, with text on failure.
        if (command.StartsWith("set ", StringComparison.Ordinal) && IsRefusal(answer))
            throw new InvalidOperationException($"HAProxy refused '{command}': {answer.Trim()}");
        return answer;
    }

    /// <summary>`set` answers nothing on success, except addr changes which report what changed (or that nothing had to).</summary>
    public static bool IsRefusal(string answer)
    {
        var a = answer.Trim();
        return a.Length > 0 && !a.Contains("no need to change", StringComparison.Ordinal) && !a.Contains("changed from", StringComparison.Ordinal);
    }

    /// <summary>Parses <c>show stat</c> CSV into rows keyed by column name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ParseStat(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal)) return [];
        var header = lines[0][2..].Split(',');
        return lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length && i < cells.Length; i++) if (header[i].Length > 0) row[header[i]] = cells[i];
            return (IReadOnlyDictionary<string, string>)row;
        }).ToList();
    }
}

public enum ServerAdminState { Ready, Drain, Maint }
