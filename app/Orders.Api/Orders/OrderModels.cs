using System.Text.Json.Serialization;

namespace Orders.Api.Orders;

/// <summary>POST /orders body. Unknown fields are rejected (400) so a client typo never silently drops data.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateOrderRequest(string? CustomerId, decimal? Total, string? Currency);

/// <summary>PUT /orders/{id}/status body.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateStatusRequest(string? Status);

public sealed record OrderResponse(
    Guid Id, string CustomerId, decimal Total, string Currency, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Keyset page: pass <c>nextAfter</c> back as <c>after</c>; null means the last page.</summary>
public sealed record OrderPage(IReadOnlyList<OrderResponse> Items, Guid? NextAfter);

public static class OrderStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    static readonly Dictionary<string, string[]> Next = new()
    {
        [Pending] = [Paid, Cancelled],
        [Paid] = [Shipped, Cancelled],
        [Shipped] = [Delivered],
        [Delivered] = [],
        [Cancelled] = [],
    };

    public static bool IsKnown(string status) => Next.ContainsKey(status);

    /// <summary>Setting the current status again is allowed (a retried PUT must not fail).</summary>
    public static bool CanMove(string from, string to) => from == to || Next[from].Contains(to);

    public static IEnumerable<string> All => Next.Keys;
}
