using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Clicks.Classification;

/// <summary>
/// Classifies a click as it arrives (request shape, user agent, network, timing). Called on the redirect's hot path:
/// no I/O, no allocation-heavy work; data tables are loaded once. Bursts and decoys, which need other clicks, are
/// decided afterwards by the reclassification sweep.
/// </summary>
public interface IClickClassifier
{
    ClickClassification Classify(ClickFacts facts);
}
