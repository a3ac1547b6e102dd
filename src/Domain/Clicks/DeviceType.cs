namespace LinkTracking.Domain.Clicks;

/// <summary>The kind of device a click came from, as its user agent tells (uap-core).</summary>
public enum DeviceType
{
    /// <summary>Anything the agent rules cannot place (smart TVs, consoles, unknown agents).</summary>
    Other = 0,

    Desktop = 1,

    Mobile = 2,

    Tablet = 3,

    /// <summary>The agent names itself a spider or bot (uap-core's <c>Spider</c> device family).</summary>
    Bot = 4,
}

/// <summary>The wire names of <see cref="DeviceType"/> (<c>desktop</c>, <c>mobile</c>, …).</summary>
public static class DeviceTypes
{
    public const int MaxNameLength = 10;

    public static IReadOnlyList<DeviceType> All { get; } = Enum.GetValues<DeviceType>();

    public static string Name(this DeviceType device) => device switch
    {
        DeviceType.Other => "other",
        DeviceType.Desktop => "desktop",
        DeviceType.Mobile => "mobile",
        DeviceType.Tablet => "tablet",
        DeviceType.Bot => "bot",
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, null),
    };

    public static bool TryParse(string? name, out DeviceType device)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                device = candidate;
                return true;
            }
        }

        device = DeviceType.Other;
        return false;
    }
}
