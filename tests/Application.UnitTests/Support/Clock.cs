using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Application.UnitTests.Support;

public static class Clock
{
    /// <summary>"Now" in every test: a summer evening, UTC.</summary>
    public static readonly DateTimeOffset Start = new(2025, 7, 27, 21, 15, 30, TimeSpan.Zero);

    public static FakeTimeProvider AtStart() => new(Start);
}
