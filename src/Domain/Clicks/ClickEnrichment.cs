namespace LinkTracking.Domain.Clicks;

/// <summary>
/// What a click's address and user agent say about where and on what it was made, worked out once at ingest and
/// stored with the click: <see cref="Country"/> is an ISO 3166 alpha-2 code, the families are uap-core's names
/// ("Chrome", "iOS"). Every part is null when unknown (no address, no agent, no data file).
/// </summary>
public sealed record ClickEnrichment(string? Country, DeviceType? Device, string? Browser, string? Os)
{
    public const int CountryLength = 2;
    public const int MaxFamilyLength = 50;

    public static ClickEnrichment Unknown { get; } = new(null, null, null, null);
}
