using System.Diagnostics.Metrics;

namespace LinkTracking.Tests.Shared;

/// <summary>A meter factory for building infrastructure by hand in tests: meters are created, nobody listens.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
