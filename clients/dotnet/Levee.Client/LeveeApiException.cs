using System.Net;

namespace Levee.Client;

/// <summary>
/// The one error the API answers with: its <c>application/problem+json</c> body, typed. Every
/// refusal (401 <c>unauthorized</c>, 404 <c>not_found</c>, 409 <c>lease_lost</c>, 409
/// <c>batch_aborted</c>, …) is this exception; switch on <see cref="Code"/>, never on the message.
/// </summary>
public sealed class LeveeApiException : Exception
{
    /// <summary>The code of a reply that carried no problem body (e.g. a proxy's 502, Kestrel's empty 414).</summary>
    public const string UnexpectedResponse = "unexpected_response";

    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The stable code (<see cref="UnexpectedResponse"/> when the reply had none).</param>
    /// <param name="detail">The problem's detail, in words.</param>
    /// <param name="currentStatus">The resource's status, on state conflicts.</param>
    /// <param name="field">The offending field or header.</param>
    /// <param name="retryAfter">The reply's <c>Retry-After</c>, if any.</param>
    public LeveeApiException(HttpStatusCode status, string code, string? detail, string? currentStatus = null, string? field = null, TimeSpan? retryAfter = null)
        : base($"{(int)status} {code}: {detail}")
    {
        (Status, Code, Detail, CurrentStatus, Field, RetryAfter) = (status, code, detail, currentStatus, field, retryAfter);
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The stable code, e.g. <c>not_found</c>, <c>lease_lost</c>, <c>terminal_state</c>.</summary>
    public string Code { get; }

    /// <summary>What happened, in words.</summary>
    public string? Detail { get; }

    /// <summary>The resource's status when the refusal is a state conflict (e.g. <c>succeeded</c>).</summary>
    public string? CurrentStatus { get; }

    /// <summary>The field or header the refusal is about (e.g. <c>leaseId</c>).</summary>
    public string? Field { get; }

    /// <summary>How long to wait before trying again, when the reply said (429 <c>rate_limited</c>).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <inheritdoc />
    public LeveeApiException() : this(HttpStatusCode.InternalServerError, UnexpectedResponse, null)
    {
    }

    /// <inheritdoc />
    public LeveeApiException(string message) : this(HttpStatusCode.InternalServerError, UnexpectedResponse, message)
    {
    }

    /// <inheritdoc />
    public LeveeApiException(string message, Exception innerException) : base(message, innerException)
    {
        (Status, Code, Detail) = (HttpStatusCode.InternalServerError, UnexpectedResponse, message);
    }
}
