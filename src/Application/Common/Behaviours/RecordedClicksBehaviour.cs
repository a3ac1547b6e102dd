using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Common.Behaviours;

/// <summary>
/// Read-your-writes for clicks, bounded (ADR 0021): before a message marked <see cref="IReadsRecordedClicks"/> is
/// handled, it waits at most <c>Analytics:MaxReadWait</c> for the clicks acknowledged so far to be counted, and stamps
/// the answer with how fresh it is; a message marked <see cref="IChangesRecordedClicks"/> first gets every
/// acknowledged click into the database (<see cref="IClickRecorder.FlushAsync"/>). Other messages, the redirect among
/// them, pass straight through.
/// </summary>
public sealed class RecordedClicksBehaviour<TMessage, TResponse>(IClickRecorder recorder, IAnalyticsFreshness freshness) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        return message switch
        {
            IChangesRecordedClicks => FlushThenHandle(message, next, cancellationToken),
            IReadsRecordedClicks => AwaitThenHandle(message, next, cancellationToken),
            _ => next(message, cancellationToken),
        };
    }

    private async ValueTask<TResponse> FlushThenHandle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await recorder.FlushAsync(cancellationToken);
        return await next(message, cancellationToken);
    }

    private async ValueTask<TResponse> AwaitThenHandle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var fresh = await freshness.AwaitAsync(cancellationToken);
        var response = await next(message, cancellationToken);
        if (response is IFreshAnswer answer)
        {
            answer.Stamp(fresh);
        }

        return response;
    }
}
