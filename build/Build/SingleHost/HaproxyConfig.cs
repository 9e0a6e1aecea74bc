using System.Text;
using Pipeline.Config;

namespace Pipeline.SingleHost;

/// <summary>Renders haproxy.cfg from the environment's configuration. Pure: the same config gives the same text.</summary>
public static class HaproxyConfig
{
    public static string Render(SingleHostLayout layout)
    {
        var c = layout.Config;
        var (header, value) = layout.PreviewHeader;
        var sb = new StringBuilder();
        sb.Append($"""
            # Rendered by the release pipeline from {Path.GetFileName(c.SourceFile)}; edits are overwritten (and caught by DriftCheck).
            global
                # admin level for weights/states; expose-fd listeners lets a reload take over the sockets (no refused connections).
                stats socket {layout.HaproxySocket} mode 600 level admin expose-fd listeners
                stats timeout 30s
                # Server states survive a reload instead of coming back from the file's defaults.
                server-state-file {Path.Combine(layout.HaproxyDir, "server-state")}

            defaults
                mode http
                option httplog
                load-server-state-from-file global
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout http-request 10s
                timeout http-keep-alive 5s
                timeout queue 5s
                timeout check 1s
                # Safety net for the moment an instance stops between its last check and our drain:
                # the request is retried on another server instead of failing.
                retries 2
                retry-on conn-failure empty-response
                option redispatch

            frontend stats
                bind 127.0.0.1:{c.SingleHost.StatsPort}
                http-request use-service prometheus-exporter if {"{"} path /metrics {"}"}
                stats enable
                stats uri /stats
                stats refresh 2s

            frontend public
                bind 127.0.0.1:{c.SingleHost.LoadBalancerPort}
                # Preview before exposure: requests carrying the header reach only the new set, so smoke
                # tests hit the new version before it gets a single weighted request.
                acl preview req.hdr({header}) -m str {value}
                use_backend {SingleHostLayout.PreviewBackend} if preview
                default_backend {SingleHostLayout.Backend}

            """);
        AppendBackend(sb, layout, SingleHostLayout.Backend);
        AppendBackend(sb, layout, SingleHostLayout.PreviewBackend);
        return sb.ToString().Replace("\r\n", "\n");
    }

    private static void AppendBackend(StringBuilder sb, SingleHostLayout layout, string name)
    {
        sb.Append($"""

            backend {name}
                balance roundrobin
                option httpchk GET /healthz/ready
                http-check expect status 200
                default-server inter 1s fall 2 rise 2 weight 100

            """);
        // Every slot declared, disabled: instances are enabled through the runtime API as they become ready.
        for (var slot = 0; slot < layout.SlotCount; slot++)
            sb.Append($"    server {SingleHostLayout.ServerOf(slot)} 127.0.0.1:{layout.PortOf(slot)} check disabled\n");
    }
}
