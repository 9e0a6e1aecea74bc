namespace Pipeline.Drill.Contrast;

/// <summary>
/// The rendered HAProxy configuration without its retry safety net (<c>retries 0</c>, no <c>retry-on</c>, no
/// <c>option redispatch</c>). Only the no-drain contrast uses it: with retries on, HAProxy re-sent every request an
/// instance stopped without drain had dropped (the first full drill: 0 failed of 3,328), which hides what draining
/// prevents — and a retry is no cover for a response already under way, or for a client that is not idempotent.
/// </summary>
internal static class HaproxyWithoutRetries
{
    public static string Strip(string rendered)
    {
        var lines = rendered.Split('\n');
        var kept = lines.Where(l => !IsRetryLine(l)).ToList();
        var defaults = kept.FindIndex(l => l.TrimEnd() == "defaults");
        if (defaults < 0 || kept.Count == lines.Length) throw new InvalidOperationException("No retry settings found in the HAProxy configuration: the contrast would remove nothing.");
        kept.Insert(defaults + 1, "    retries 0");
        return string.Join('\n', kept);
    }

    private static bool IsRetryLine(string line)
    {
        var t = line.Trim();
        return t.StartsWith("retries ", StringComparison.Ordinal) || t.StartsWith("retry-on ", StringComparison.Ordinal) || t == "option redispatch";
    }
}
