using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// Refuses, at start-up (<c>ValidateOnStart</c>), a <c>ClickPipeline</c> section the pipeline cannot run with — a zero
/// <c>ReplayBatchSize</c> would make the mover loop forever on an empty chunk, a zero interval spin — naming each key.
/// Source-generated from the data annotations on <see cref="ClickPipelineOptions"/>.
/// </summary>
[OptionsValidator]
public sealed partial class ClickPipelineOptionsValidator : IValidateOptions<ClickPipelineOptions>;
