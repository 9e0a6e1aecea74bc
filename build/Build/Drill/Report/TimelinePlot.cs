using Pipeline.Drill.Traffic;
using ScottPlot;
using SkiaSharp;

namespace Pipeline.Drill.Report;

/// <summary>
/// timeline.png: the drill on one image, one panel per question a reader asks, all on the same time axis (seconds
/// since the drill started) — how many requests and how many failed; how slow (p50/p99); was the CPU stolen; which
/// version answered; which instance was ready. Markers (phases, cutovers, weight changes, gate verdicts, rollbacks)
/// cross every panel. Drawn with ScottPlot (SkiaSharp underneath, headless); the panels are stacked into one PNG.
/// </summary>
public static class TimelinePlot
{
    public const int Width = 1600;
    public const int PanelHeight = 230;
    public const int LaneHeight = 30;
    /// <summary>The lanes panel's title, axis and phase labels.</summary>
    public const int LanesFrame = 110;

    /// <summary>The height of the image for <paramref name="report"/>: four panels and one lane per instance.</summary>
    public static int HeightOf(DrillReport report) => 4 * PanelHeight + LanesHeight(report);

    private static int LanesHeight(DrillReport report) => LanesFrame + LaneHeight * Math.Max(1, Instances(report).Count);

    private static List<string> Instances(DrillReport report) => [.. report.Readiness.Select(t => t.Instance).Distinct().Order(StringComparer.Ordinal)];

    public static byte[] RenderPng(DrillReport report)
    {
        var xs = report.Seconds.Select(s => (double)s.Second).ToArray();
        var end = Math.Max(1, (report.EndedAt - report.StartedAt).TotalSeconds);
        var panels = new List<(Plot Plot, int Height)>
        {
            (Panel("Requests per second (all attempts) and failed per second", "req/s", report, end,
                ("requests", xs, [.. report.Seconds.Select(s => (double)s.Requests)], Colors.SteelBlue),
                ("failed", xs, [.. report.Seconds.Select(s => (double)s.Failed)], Colors.Red)), PanelHeight),
            (Panel("Latency from the scheduled send (answered requests)", "ms", report, end,
                ("p50", xs, [.. report.Seconds.Select(s => s.P50Ms)], Colors.SeaGreen),
                ("p99", xs, [.. report.Seconds.Select(s => s.P99Ms)], Colors.DarkOrange)), PanelHeight),
            (Panel("CPU steal (from /proc/stat): above 10 % a cutover window is not judged", "%", report, end,
                ("steal", [.. report.Steal.Select(s => (s.At - report.StartedAt).TotalSeconds)], [.. report.Steal.Select(s => s.Percent)], Colors.Purple)), PanelHeight),
            (Panel("Traffic share per app version", "%", report, end, [.. VersionShares(report, xs)]), PanelHeight),
            (Lanes(report, end), LanesHeight(report)),
        };
        return Stack(panels);
    }

    private static IEnumerable<(string, double[], double[], Color)> VersionShares(DrillReport report, double[] xs)
    {
        Color[] palette = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.Crimson, Colors.Purple, Colors.GoldenRod];
        var versions = report.Seconds.SelectMany(s => s.Versions.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < versions.Count; i++)
        {
            var v = versions[i];
            yield return (v, xs, [.. report.Seconds.Select(s => s.Requests == 0 ? 0 : 100.0 * s.Versions.GetValueOrDefault(v) / s.Requests)], palette[i % palette.Length]);
        }
    }

    // The same fixed margins on every panel, so one second sits at the same x on all of them (wide enough for
    // instance names on the lanes).
    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Layout.Fixed(new PixelPadding(150, 30, 40, 38));
        return plot;
    }

    private static Plot Panel(string title, string unit, DrillReport report, double end, params (string Name, double[] Xs, double[] Ys, Color Color)[] series)
    {
        var plot = NewPlot();
        plot.Title(title, size: 14);
        plot.YLabel(unit);
        foreach (var (name, x, y, color) in series)
        {
            if (x.Length == 0) continue;
            var line = plot.Add.ScatterLine(x, y);
            line.LegendText = name;
            line.Color = color;
            line.LineWidth = 1.5f;
        }
        AddMarkers(plot, report, labels: false);
        plot.Axes.SetLimitsX(0, end);
        if (series.Any(s => s.Xs.Length > 0)) plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot Lanes(DrillReport report, double end)
    {
        var plot = NewPlot();
        plot.Title("Readiness per instance, probed directly every 250 ms (green ready, red not ready, grey gone)", size: 14);
        var instances = Instances(report);
        for (var lane = 0; lane < instances.Count; lane++)
        {
            var transitions = report.Readiness.Where(t => t.Instance == instances[lane]).OrderBy(t => t.At).ToList();
            for (var i = 0; i < transitions.Count; i++)
            {
                var from = (transitions[i].At - report.StartedAt).TotalSeconds;
                var to = i + 1 < transitions.Count ? (transitions[i + 1].At - report.StartedAt).TotalSeconds : end;
                var color = transitions[i].To switch
                {
                    InstanceState.Ready => Colors.SeaGreen,
                    InstanceState.NotReady => Colors.Crimson,
                    _ => Colors.LightGray,
                };
                var rect = plot.Add.Rectangle(from, Math.Max(to, from + 0.05), lane + 0.1, lane + 0.9);
                rect.FillStyle.Color = color;
                rect.LineStyle.Width = 0;
            }
        }
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, instances.Count).Select(i => i + 0.5)], [.. instances]);
        plot.Axes.SetLimitsY(0, Math.Max(1, instances.Count));
        plot.XLabel("seconds since the drill started");
        // Room for the phase labels under the lanes.
        plot.Layout.Fixed(new PixelPadding(150, 30, 70, 38));
        AddMarkers(plot, report, labels: true);
        plot.Axes.SetLimitsX(0, end);
        return plot;
    }

    private static void AddMarkers(Plot plot, DrillReport report, bool labels)
    {
        foreach (var m in report.Markers)
        {
            var x = (m.At - report.StartedAt).TotalSeconds;
            var line = plot.Add.VerticalLine(x);
            line.LineWidth = m.Kind == Marker.Phase ? 1.5f : 1;
            line.LinePattern = m.Kind == Marker.Phase ? LinePattern.Solid : LinePattern.Dashed;
            line.Color = MarkerColor(m.Kind);
            if (labels && m.Kind == Marker.Phase)
            {
                line.Text = m.Label.Length > 28 ? m.Label[..28] + "…" : m.Label;
                line.LabelFontSize = 10;
            }
        }
    }

    public static Color MarkerColor(string kind) => kind switch
    {
        Marker.Phase => Colors.Black,
        Marker.Cutover => Colors.Blue,
        Marker.Weight => Colors.Gray,
        Marker.Gate => Colors.Purple,
        Marker.Rollback => Colors.OrangeRed,
        _ => Colors.Gray,
    };

    private static byte[] Stack(List<(Plot Plot, int Height)> panels)
    {
        var height = panels.Sum(p => p.Height);
        using var surface = SKSurface.Create(new SKImageInfo(Width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var y = 0;
        foreach (var (plot, h) in panels)
        {
            using var bitmap = SKBitmap.Decode(plot.GetImageBytes(Width, h, ImageFormat.Png));
            canvas.DrawBitmap(bitmap, 0, y);
            y += h;
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
