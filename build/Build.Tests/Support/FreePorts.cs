using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Support;

/// <summary>Free loopback ports for every test that starts a server (one helper for the whole test project).</summary>

public static class FreePorts
{
    // Ports already handed out in this process: the kernel may give the same ephemeral port to two bind-0 calls in
    // a row once the first listener is released, and one environment file then declares a port twice.
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A free loopback port below the kernel's ephemeral range, never one this process was already given. Not bind 0:
    /// that hands out ephemeral ports, and a server restarted on one (the drills' PostgreSQL outage) can find it
    /// taken by an outgoing connection — what ConfigValidator now refuses for an environment's ports.
    /// </summary>
    public static int One() => Run(1);

    /// <summary>A run of consecutive free ports (app slots are base + i).</summary>
    public static int Run(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below the kernel's ephemeral range (32768+), where outgoing connections could take a port between check and use.
            var start = Random.Shared.Next(20000, 32000 - count);
            lock (HandedOut)
            {
                if (!Enumerable.Range(start, count).All(p => !HandedOut.Contains(p) && IsFree(p))) continue;
                foreach (var p in Enumerable.Range(start, count)) HandedOut.Add(p);
                return start;
            }
        }
        throw new InvalidOperationException("No run of free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
