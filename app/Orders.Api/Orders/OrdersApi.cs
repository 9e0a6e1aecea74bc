using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Orders.Api.Configuration;
using Orders.Api.Http;

namespace Orders.Api.Orders;

public static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    const int MaxKeyLength = 200;
    const int DefaultPageSize = 20, MaxPageSize = 100;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders", CreateAsync);
        app.MapGet("/orders", ListAsync);
        app.MapGet("/orders/{id}", GetAsync);
        app.MapPut("/orders/{id}/status", UpdateStatusAsync);
        return app;
    }

    static async Task<IResult> CreateAsync(HttpRequest request, [FromServices] OrderStore store, [FromServices] AppSettings settings, CancellationToken ct)
    {
        string? key = request.Headers[IdempotencyKeyHeader];
        if (key is not null && (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')))
            return Problems.Validation(new() { [IdempotencyKeyHeader] = [$"must be 1..{MaxKeyLength} visible ASCII characters"] });

        var body = await JsonBody.ReadAsync(request, AppJsonContext.Default.CreateOrderRequest, settings.MaxBodyBytes, ct);
        if (body.Error is not null) return body.Error;
        var input = body.Value!;

        var errors = new Dictionary<string, string[]>();
        var customerId = input.CustomerId?.Trim();
        if (string.IsNullOrEmpty(customerId)) errors["customerId"] = ["is required"];
        else if (customerId.Length > 64) errors["customerId"] = ["must be at most 64 characters"];
        if (input.Total is not { } total) errors["total"] = ["is required"];
        else if (Money.Validate(total) is { } problem) errors["total"] = [problem];
        if (input.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
            errors["currency"] = ["must be a 3-letter upper-case ISO 4217 code, e.g. EUR"];
        if (errors.Count > 0) return Problems.Validation(errors);

        // The key is bound to what the request means, not its bytes: whitespace or field order may differ on a retry.
        var canonical = $"{customerId}\n{Money.ToCents(input.Total!.Value).ToString(CultureInfo.InvariantCulture)}\n{input.Currency}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));

        var (outcome, order) = await store.CreateAsync(customerId!, input.Total!.Value, input.Currency!, key, hash, ct);
        switch (outcome)
        {
            case CreateOutcome.KeyReusedWithDifferentBody:
                return Problems.Unprocessable("Idempotency-Key reused",
                    "This Idempotency-Key was already used with a different request body; use a new key for a new order.");
            case CreateOutcome.Replayed:
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                break;
        }
        return TypedResults.Created($"/orders/{order!.Id}", order);
    }

    static async Task<IResult> GetAsync(string id, [FromServices] OrderStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var orderId)) return Problems.NotFound($"No order with id '{id}'.");
        var order = await store.GetAsync(orderId, ct);
        return order is null ? Problems.NotFound($"No order with id '{id}'.") : TypedResults.Ok(order);
    }

    static async Task<IResult> ListAsync(string? limit, string? after, [FromServices] OrderStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            errors["limit"] = [$"must be an integer between 1 and {MaxPageSize}"];
        Guid? cursor = null;
        if (after is not null)
        {
            if (Guid.TryParse(after, out var parsed)) cursor = parsed;
            else errors["after"] = ["must be an order id (the nextAfter of the previous page)"];
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        return TypedResults.Ok(await store.ListAsync(pageSize, cursor, ct));
    }

    static async Task<IResult> UpdateStatusAsync(string id, HttpRequest request, [FromServices] OrderStore store, [FromServices] AppSettings settings, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var orderId)) return Problems.NotFound($"No order with id '{id}'.");
        var body = await JsonBody.ReadAsync(request, AppJsonContext.Default.UpdateStatusRequest, settings.MaxBodyBytes, ct);
        if (body.Error is not null) return body.Error;
        var status = body.Value!.Status;
        if (status is null || !OrderStatus.IsKnown(status))
            return Problems.Validation(new() { ["status"] = [$"must be one of: {string.Join(", ", OrderStatus.All)}"] });

        var (outcome, order, current) = await store.UpdateStatusAsync(orderId, status, ct);
        return outcome switch
        {
            UpdateOutcome.NotFound => Problems.NotFound($"No order with id '{id}'."),
            UpdateOutcome.InvalidTransition => Problems.Conflict("Invalid status transition",
                $"An order cannot move from '{current}' to '{status}'."),
            _ => TypedResults.Ok(order),
        };
    }
}
