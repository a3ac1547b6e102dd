namespace LinkTracking.Infrastructure.Retention;

/// <summary>Upkeep of the raw click table, one implementation per database provider.</summary>
public interface IRawClickStorage
{
    /// <summary>Makes sure clicks of the current month and <paramref name="monthsAhead"/> more have their storage ready.</summary>
    Task PrepareAsync(DateTime now, int monthsAhead, CancellationToken cancellationToken);

    /// <summary>Removes raw clicks older than <paramref name="cutoff"/>, as finely as the provider can.</summary>
    Task<RetentionResult> RemoveOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken);
}

/// <summary>What one retention pass removed: whole partitions (PostgreSQL) and single rows.</summary>
public sealed record RetentionResult(int PartitionsDropped, long RowsDeleted);
