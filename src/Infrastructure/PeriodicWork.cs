namespace LinkTracking.Infrastructure;

/// <summary>The loop of the periodic background jobs: run once at once, then at every tick; a failure is reported and retried at the next.</summary>
internal static class PeriodicWork
{
    public static async Task RunAsync(
        TimeSpan interval,
        TimeProvider timeProvider,
        Func<CancellationToken, Task> work,
        Action<Exception> reportFailure,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                await work(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reportFailure(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
