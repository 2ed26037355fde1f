namespace Levee.Client.Worker;

/// <summary>Thrown by a handler for an error that retrying cannot fix: the host fails the execution for good.</summary>
public sealed class NonRetryableJobException : Exception
{
    /// <inheritdoc />
    public NonRetryableJobException()
    {
    }

    /// <inheritdoc />
    public NonRetryableJobException(string message) : base(message)
    {
    }

    /// <inheritdoc />
    public NonRetryableJobException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
