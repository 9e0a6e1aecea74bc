using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Support;

/// <summary>Free loopback ports for every test that starts a server (one helper for the whole test project).</summary>

public static class FreePorts
{
    /// <summary>A free loopback port (bind 0, read, release).</summary>
    public static int One()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>A run of consecutive free ports (app slots are base + i).</summary>
    public static int Run(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below the kernel's ephemeral range (32768+), where outgoing connections could take a port between check and use.
            var start = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(start, count).All(IsFree)) return start;
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
