using System.Text.Json;

namespace Levee.Load;

/// <summary>One execution handed to a worker by a claim, with its approvals so far (none on a first claim).</summary>
internal sealed record ClaimedExecution(string Id, string LeaseId, IReadOnlyList<ApprovalState> Approvals);

/// <summary>An approval as a claim shows it: the tool call and its status (<c>pending</c>, <c>approved</c>, …).</summary>
internal sealed record ApprovalState(string ToolCallId, string Status);

/// <summary>
/// A batch as <c>GET /v1/batches/{id}</c> shows it, or the reply to its items (which has no counts, and
/// <see cref="ItemsAccepted"/> instead): the fields the batch scenario checks.
/// </summary>
internal sealed record BatchState(string? Status, bool Sealed, long EnqueuedCount, long ItemsAccepted, long Succeeded);

/// <summary>
/// Reads the few fields the scenarios need from the silo's responses with a forward-only reader,
/// without deserializing whole executions: the client should spend its CPU on sending, not on JSON.
/// </summary>
internal static class ResponseJson
{
    /// <summary>Finds the top-level <c>"id"</c> of a response; null when there is none or it is not JSON.</summary>
    public static string? ReadId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("id"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                if (reader.CurrentDepth >= 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: reported as a missing id.
        }
        return null;
    }

    /// <summary>
    /// Reads a claim response, <c>{"claims":[{"execution":{"id":…,"approvals":[…]},"leaseId":…},…]}</c>;
    /// null when it is not one (not JSON, no <c>claims</c> array, a claim without an id or lease).
    /// </summary>
    public static List<ClaimedExecution>? ReadClaims(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            List<ClaimedExecution>? claims = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("claims"u8))
                {
                    SkipValue(ref reader);
                    continue;
                }
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return null;
                }
                claims = [];
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    if (ReadClaim(ref reader) is not { } claim)
                    {
                        return null;
                    }
                    claims.Add(claim);
                }
            }
            return claims;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a batch or the reply to its items; null when it is not a JSON object.</summary>
    public static BatchState? ReadBatch(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            string? status = null;
            var isSealed = false;
            long enqueued = 0, accepted = 0, succeeded = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    status = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("sealed"u8))
                {
                    reader.Read();
                    isSealed = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("enqueuedCount"u8))
                {
                    enqueued = ReadNumber(ref reader) ?? 0;
                }
                else if (reader.ValueTextEquals("itemsAccepted"u8))
                {
                    accepted = ReadNumber(ref reader) ?? 0;
                }
                else if (reader.ValueTextEquals("counts"u8))
                {
                    succeeded = ReadMemberNumber(ref reader, "succeeded"u8) ?? 0;
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            return new BatchState(status, isSealed, enqueued, accepted, succeeded);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads <c>data.index</c> of an event as a stream sends it, <c>{"seq":…,"type":…,"data":{"index":…}}</c>
    /// (e.g. a batch's <c>child_finished</c>); null when there is none.
    /// </summary>
    public static int? ReadEventIndex(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    return ReadMemberNumber(ref reader, "index"u8) is { } index and >= 0 and <= int.MaxValue ? (int)index : null;
                }
                SkipValue(ref reader);
            }
        }
        catch (JsonException)
        {
            // Not JSON: reported as no index.
        }
        return null;
    }

    /// <summary>
    /// Reads the reply to an output append, <c>{"firstSeq":…,"lastSeq":…}</c>: the seqs its chunks' events got;
    /// null when it is not one.
    /// </summary>
    public static (long First, long Last)? ReadOutputRange(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            long? first = null, last = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("firstSeq"u8))
                {
                    first = ReadNumber(ref reader);
                }
                else if (reader.ValueTextEquals("lastSeq"u8))
                {
                    last = ReadNumber(ref reader);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            return first is { } f && last is { } l ? (f, l) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads one claim object; the reader is on its start and ends on its end.</summary>
    private static ClaimedExecution? ReadClaim(ref Utf8JsonReader reader)
    {
        string? id = null, leaseId = null;
        IReadOnlyList<ApprovalState> approvals = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("leaseId"u8))
            {
                leaseId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("execution"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        id = ReadString(ref reader);
                    }
                    else if (reader.ValueTextEquals("approvals"u8))
                    {
                        approvals = ReadApprovals(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return id is null || leaseId is null ? null : new ClaimedExecution(id, leaseId, approvals);
    }

    /// <summary>Reads an <c>approvals</c> array (or null); the reader is on its property name.</summary>
    private static IReadOnlyList<ApprovalState> ReadApprovals(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }
        List<ApprovalState> approvals = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? toolCallId = null, status = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("toolCallId"u8))
                {
                    toolCallId = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    status = ReadString(ref reader);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (toolCallId is not null && status is not null)
            {
                approvals.Add(new ApprovalState(toolCallId, status));
            }
        }
        return approvals;
    }

    /// <summary>Reads the value after a property name as a string (null for anything else).</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        reader.Skip();
        return null;
    }

    /// <summary>Reads the value after a property name as a whole number (null for anything else).</summary>
    private static long? ReadNumber(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }
        reader.Skip();
        return null;
    }

    /// <summary>
    /// Reads the object after a property name, returning its member <paramref name="name"/> as a whole
    /// number (null when it has none, or the value is not an object).
    /// </summary>
    private static long? ReadMemberNumber(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        long? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                value = ReadNumber(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return value;
    }

    /// <summary>Skips the value after a property name, whatever it is.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
