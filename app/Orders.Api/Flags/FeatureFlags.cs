using System.Text.Json.Serialization;

namespace Orders.Api.Flags;

/// <summary>The flags file's shape, e.g. <c>{"readTotalFromCents": false}</c>. Unknown names are rejected:
/// a typo in a flag name must be loud, not a silent no-op during an incident.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FlagsDocument(bool? ReadTotalFromCents);

/// <summary>Current flag values; swapped atomically by <see cref="FlagsFileWatcher"/>.</summary>
public sealed class FeatureFlags
{
    volatile FlagsDocument _current = new((bool?)null);

    public FlagsDocument Current => _current;

    internal void Replace(FlagsDocument next) => _current = next;
}

public static class FlagsDocumentExtensions
{
    /// <summary>
    /// Read path of the money change. Release 1 reads total by default, release 2 total_cents; the flag
    /// switches either without a restart (e.g. back to total if a backfill bug is found). Release 3 has no
    /// choice: the total column may already be gone.
    /// </summary>
    public static bool ReadsTotalFromCents(this FlagsDocument flags, int release) =>
        release >= 3 || (flags.ReadTotalFromCents ?? release >= 2);
}
