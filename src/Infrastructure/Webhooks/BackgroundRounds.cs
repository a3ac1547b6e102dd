namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>The loop of the webhook background services: rounds until stopped, a pause after an idle round.</summary>
internal static class BackgroundRounds
{
    /// <summary>
    /// Runs <paramref name="round"/> until <paramref name="stoppingToken"/> fires. A round returns true when there is
    /// more to do at once; otherwise the loop waits <paramref name="interval"/>. A failed round is reported and retried.
    /// </summary>
    public static async Task RunAsync(
        Func<CancellationToken, Task<bool>> round, TimeSpan interval, TimeProvider timeProvider, Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database hiccup (or another node winning a race) must not stop the service for good.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                onFailure(exception);
            }

            if (!more)
            {
                try
                {
                    await Task.Delay(interval, timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
