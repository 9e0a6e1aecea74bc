namespace Orders.Api.Orders;

/// <summary>Money is a decimal with at most 2 decimals on the wire and integer cents in the database.</summary>
public static class Money
{
    public const decimal Max = 1_000_000_000.00m;

    public static string? Validate(decimal amount)
    {
        if (amount <= 0) return "must be greater than 0";
        if (amount > Max) return "must be at most 1000000000.00";
        if (decimal.Round(amount, 2) != amount) return "must have at most 2 decimal places";
        return null;
    }

    public static long ToCents(decimal amount) => (long)(amount * 100m);

    /// <summary>Always scale 2, so 12.5 is written as 12.50.</summary>
    public static decimal FromCents(long cents) =>
        new((int)(Math.Abs(cents) & 0xFFFFFFFF), (int)(Math.Abs(cents) >> 32), 0, cents < 0, 2);
}
