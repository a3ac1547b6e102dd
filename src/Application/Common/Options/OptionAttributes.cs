using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;

namespace LinkTracking.Application.Common.Options;

/// <summary>A duration longer than zero and at most the given maximum (an interval, a timeout, a window).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveDurationAttribute : RangeAttribute
{
    public PositiveDurationAttribute(string maximum = OptionLimits.MaxTimerInterval)
        : base(typeof(TimeSpan), OptionLimits.Zero, maximum)
    {
        MinimumIsExclusive = true;
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}

/// <summary>A duration of zero (where zero means "at once" or "off") up to the given maximum.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NonNegativeDurationAttribute : RangeAttribute
{
    public NonNegativeDurationAttribute(string maximum = OptionLimits.MaxTimerInterval)
        : base(typeof(TimeSpan), OptionLimits.Zero, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}

/// <summary>Unset, or an absolute http(s) URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null || (value is string url && RedirectsOptions.IsUnsetOrHttpUrl(url));
}

/// <summary>Every entry of a list is a host name or an IP address (no scheme, port or path).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HostNamesAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not IEnumerable entries || entries.Cast<object?>().All(e => e is string host && IsHost(host));

    private static bool IsHost(string host)
    {
        var trimmed = host.Trim().TrimEnd('.');
        try
        {
            return trimmed.Length > 0 && Uri.CheckHostName(new IdnMapping().GetAscii(trimmed)) != UriHostNameType.Unknown;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Every entry of a list is a CIDR range (<c>10.0.0.0/8</c>), or also a single address when <see cref="AllowAddresses"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IpNetworksAttribute : ValidationAttribute
{
    public bool AllowAddresses { get; init; }

    public override bool IsValid(object? value) =>
        value is not IEnumerable entries
        || entries.Cast<object?>().All(e => e is string entry && (IPNetwork.TryParse(entry, out _) || (AllowAddresses && IPAddress.TryParse(entry, out _))));
}

/// <summary>Unset or empty, or a string of <see cref="Minimum"/> to <see cref="Maximum"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthWhenSetAttribute(int minimum, int maximum) : ValidationAttribute
{
    public int Minimum { get; } = minimum;

    public int Maximum { get; } = maximum;

    public override bool IsValid(object? value) => value is not string text || text.Length == 0 || (text.Length >= Minimum && text.Length <= Maximum);
}

/// <summary>
/// <c>[Range]</c> whose <c>ErrorMessage</c> is kept: the options source generator (10.0) replaces a plain
/// <c>RangeAttribute</c> with a copy of its own that ignores <c>ErrorMessage</c> — the message would then name the
/// C# property, not the configuration key. A derived attribute is used as written.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BetweenAttribute : RangeAttribute
{
    public BetweenAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public BetweenAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    public BetweenAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}
