namespace Levee.Client.Http;

/// <summary>
/// Sits inside the retry pipeline and reads each reply's body there, so a connection that
/// breaks while the body is read is a failed attempt the pipeline can retry, like one that
/// breaks before the headers. Outside the pipeline (where <see cref="HttpClient"/> would read
/// it) that failure would reach the caller. Replies read as streams (<see cref="CallPolicy.Streams"/>)
/// are passed through unread.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (CallPolicy.IsStreaming(request))
        {
            return response;
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (IOException e)
        {
            response.Dispose();
            // HttpIOException is an IOException, which the retry predicate does not treat as transient;
            // the same failure before the headers arrives as an HttpRequestException, so say it alike.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection broke while the reply was read.", e);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
