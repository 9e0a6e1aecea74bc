using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.SingleHost;

/// <summary>
/// app.flags (YAML strings) as the JSON document the app reads (ORDERS_FLAGS_FILE): "true"/"false" become
/// booleans and numbers numbers, so `readTotalFromCents: false` in the environment file is a real boolean flag.
/// </summary>
public static class FlagsFile
{
    public static string Render(IReadOnlyDictionary<string, string> flags)
    {
        var o = new JsonObject();
        foreach (var (name, value) in flags.OrderBy(p => p.Key, StringComparer.Ordinal))
            o[name] = bool.TryParse(value, out var b) ? JsonValue.Create(b)
                : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
                : JsonValue.Create(value);
        return o.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
