namespace Pipeline.Drill.Contrast;

/// <summary>
/// HAProxy runtime-API commands that switch a server's health check off and on. Only the seam-break contrast runs
/// send them: with the check off, HAProxy keeps a server it cannot judge in rotation — exactly the outage the
/// readiness probe (option httpchk GET /healthz/ready) exists to prevent.
/// </summary>
internal static class HaproxyHealth
{
    public static string Disable(string backend, string server) => $"disable health {backend}/{server}";
    public static string Enable(string backend, string server) => $"enable health {backend}/{server}";
}
