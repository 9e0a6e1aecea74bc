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
        var published = PublishedPorts();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below the kernel's ephemeral range (32768+), where outgoing connections could take a port between check and use.
            var start = Random.Shared.Next(20000, 32000 - count);
            lock (HandedOut)
            {
                if (!Enumerable.Range(start, count).All(p => !HandedOut.Contains(p) && !published.Contains(p) && IsFree(p))) continue;
                foreach (var p in Enumerable.Range(start, count)) HandedOut.Add(p);
                return start;
            }
        }
        throw new InvalidOperationException("No run of free ports found.");
    }

    /// <summary>
    /// Host ports netavark publishes for containers (another environment's instances, another test run's): a DNAT rule
    /// with no listening socket, so the bind check calls them free — and a server given one is shadowed for every
    /// container, which then reaches that other container at host-address:port (ContainerIsolationTests failed so
    /// while two test runs shared this host).
    /// </summary>
    private static HashSet<int> PublishedPorts()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("iptables", "-t nat -S")
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var rules = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return [.. System.Text.RegularExpressions.Regex.Matches(rules, @"--dport (\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (System.ComponentModel.Win32Exception) { return []; } // no iptables: nothing is published through it
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
