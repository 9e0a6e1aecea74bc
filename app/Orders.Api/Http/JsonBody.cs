using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace Orders.Api.Http;

/// <summary>
/// Reads a JSON body by hand instead of minimal-API binding, so every failure (not JSON, malformed, wrong
/// type, unknown field, too large) becomes a problem+json response with a useful detail, not an empty 400.
/// </summary>
public static class JsonBody
{
    public readonly record struct Result<T>(T? Value, IResult? Error);

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, long maxBytes, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType()) return new(null, Problems.UnsupportedMediaType());
        if (request.ContentLength > maxBytes) return new(null, Problems.TooLarge(maxBytes));

        byte[] bytes;
        try
        {
            bytes = await ReadLimitedAsync(request.Body, maxBytes, ct);
        }
        catch (BodyTooLargeException)
        {
            return new(null, Problems.TooLarge(maxBytes));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, Problems.TooLarge(maxBytes)); // Kestrel's own limit tripped first
        }

        try
        {
            var value = JsonSerializer.Deserialize(bytes, type);
            return value is null
                ? new(null, Problems.BadRequest("Malformed request body", "The body must be a JSON object."))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, Problems.BadRequest("Malformed request body", Describe(ex)));
        }
    }

    static string Describe(JsonException ex)
    {
        // Keep the useful part (which property, what went wrong) without the parser's line/byte noise.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        return ex.Path is { Length: > 0 } path ? $"{message} (at {path})" : message;
    }

    static async Task<byte[]> ReadLimitedAsync(Stream body, long maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw new BodyTooLargeException();
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    sealed class BodyTooLargeException : Exception;
}
