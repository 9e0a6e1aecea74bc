namespace Orders.Api.Http;

/// <summary>Every error is application/problem+json (RFC 9457) with a stable title per kind.</summary>
public static class Problems
{
    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static IResult Validation(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Validation failed");

    public static IResult TooLarge(long max) =>
        TypedResults.Problem($"The request body exceeds {max} bytes ({"ORDERS_MAX_BODY_BYTES"}).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static IResult UnsupportedMediaType() =>
        TypedResults.Problem("Send the body as application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static IResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static IResult Unprocessable(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: title);
}
