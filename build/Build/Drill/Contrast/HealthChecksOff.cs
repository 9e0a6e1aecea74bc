using Pipeline.SingleHost;
using Pipeline.Tools;

namespace Pipeline.Drill.Contrast;

/// <summary>
/// Contrast seam: the load balancer's health checks off for the given slots while the scope lives (re-enabled on
/// dispose, whatever happened). During a database outage the instances' readiness goes red, but with no check
/// HAProxy keeps routing to them, so users get the app's errors instead of a fast, clean failover — and an instance
/// that joins with its check off gets requests before it is ready. Drill-only: no configuration key or argument
/// reaches this type (DrillIsolationTests).
/// </summary>
internal sealed class HealthChecksOff : IDisposable
{
    private readonly SingleHostSession _session;
    private readonly IReadOnlyList<int> _slots;

    public HealthChecksOff(SingleHostSession session, IReadOnlyList<int> slots)
    {
        _session = session;
        _slots = slots;
        foreach (var s in slots) HaproxyRuntime.Send(session.Layout.HaproxySocket, HaproxyHealth.Disable(SingleHostLayout.Backend, SingleHostLayout.ServerOf(s)));
        session.Event("contrast", "health checks off", string.Join(",", slots.Select(SingleHostLayout.ServerOf)));
    }

    public void Dispose()
    {
        foreach (var s in _slots) HaproxyRuntime.Send(_session.Layout.HaproxySocket, HaproxyHealth.Enable(SingleHostLayout.Backend, SingleHostLayout.ServerOf(s)));
        _session.Event("contrast", "health checks on", string.Join(",", _slots.Select(SingleHostLayout.ServerOf)));
    }
}
