using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Refuses, at start-up (<c>ValidateOnStart</c>), a <c>ClickPipeline</c> section the pipeline cannot run with — a zero
/// <c>ReplayBatchSize</c> would make the mover loop forever on an empty chunk, a zero interval spin — naming each key.
/// </summary>
public sealed class ClickPipelineOptionsValidator : IValidateOptions<ClickPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, ClickPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void AtLeast(long value, long minimum, string key)
        {
            if (value < minimum)
            {
                failures.Add($"ClickPipeline:{key} must be at least {minimum} (it is {value}).");
            }
        }

        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"ClickPipeline:{key} must be longer than zero (it is {value}).");
            }
        }

        void NotNegative(TimeSpan value, string key)
        {
            if (value < TimeSpan.Zero)
            {
                failures.Add($"ClickPipeline:{key} must not be negative (it is {value}).");
            }
        }

        AtLeast(options.ReplayBatchSize, 1, nameof(options.ReplayBatchSize));
        AtLeast(options.MaxBatchSize, 1, nameof(options.MaxBatchSize));
        AtLeast(options.Writers, 1, nameof(options.Writers));
        AtLeast(options.ChannelCapacity, 1, nameof(options.ChannelCapacity));
        AtLeast(options.MaxSegmentBytes, 1, nameof(options.MaxSegmentBytes));
        AtLeast(options.MaxSpoolBytes, 0, nameof(options.MaxSpoolBytes));
        Positive(options.MoveInterval, nameof(options.MoveInterval));
        Positive(options.ReplayInterval, nameof(options.ReplayInterval));
        Positive(options.WriteTimeout, nameof(options.WriteTimeout));
        NotNegative(options.JournalLinger, nameof(options.JournalLinger));
        NotNegative(options.MaxBatchDelay, nameof(options.MaxBatchDelay));
        if (string.IsNullOrWhiteSpace(options.SpoolDirectory))
        {
            failures.Add("ClickPipeline:SpoolDirectory must be set.");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            failures.Add($"ClickPipeline:Durability must be Journal or Database (it is {options.Durability}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
