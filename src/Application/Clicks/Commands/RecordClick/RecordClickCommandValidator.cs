using System.Net;
using System.Text.Json;
using FluentValidation;
using LinkTracking.Application.Common.Validation;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Clicks.Commands.RecordClick;

public sealed class RecordClickCommandValidator : AbstractValidator<RecordClickCommand>
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public RecordClickCommandValidator(TimeProvider timeProvider)
    {
        RuleFor(c => c.TrackingId).NotEmpty().MustBeTrackingId();
        RuleFor(c => c.ClickedAt)
            .Must(t => t is null || t.Value <= timeProvider.GetUtcNow() + MaxClockSkew)
            .WithMessage("clicked_at must not be more than 5 minutes in the future.")
            .Must(t => t is null || t.Value >= DateTimeOffset.UnixEpoch)
            .WithMessage("clicked_at must not be before 1970-01-01T00:00:00Z."); // Click ids are UUIDv7, timed from the Unix epoch.
        RuleFor(c => c.IpAddress).Must(BeIpAddress).WithMessage("ip_address must be an IPv4 or IPv6 address.");
        RuleFor(c => c.UserAgent).MaximumLength(LinkClick.MaxUserAgentLength);
        RuleFor(c => c.ReferrerUrl).MaximumLength(LinkClick.MaxReferrerLength);
        RuleFor(c => c.SessionId).MaximumLength(LinkClick.MaxSessionIdLength);
        RuleFor(c => c.ClickSource).MaximumLength(ClickSource.MaxLength);
        RuleFor(c => c.EventId).MaximumLength(LinkClick.MaxEventIdLength);
        RuleFor(c => c.Metadata)
            .Must(m => m is null || m.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
            .WithMessage("metadata must be a JSON object.")
            .Must(m => m is null || m.Value.GetRawText().Length <= LinkClick.MaxMetadataLength)
            .WithMessage($"metadata must be at most {LinkClick.MaxMetadataLength} bytes of JSON.")
            .Must(m => m is null || IsStorable(m.Value))
            .WithMessage("metadata must not contain NUL characters (\\u0000) or unpaired surrogates.");
        RuleFor(c => c.Headers)
            .Must(h => h is null || h.Count <= RecordClickCommand.MaxHeaders)
            .WithMessage($"headers has at most {RecordClickCommand.MaxHeaders} entries.");
        RuleFor(c => c.Headers).Custom((headers, context) =>
        {
            // Each oversized header is named: "headers.accept-language".
            foreach (var (name, value) in headers ?? new Dictionary<string, string?>())
            {
                if (name.Length > RecordClickCommand.MaxHeaderLength || value is { Length: > RecordClickCommand.MaxHeaderLength })
                {
                    var field = "headers." + (name.Length > 100 ? name[..100] : name);
                    context.AddFailure(field, $"A header name and value are at most {RecordClickCommand.MaxHeaderLength} characters.");
                }
            }
        });
    }

    /// <summary>
    /// Whether every name and string in the JSON can be stored as text (PostgreSQL's jsonb refuses <c>\u0000</c> and
    /// unpaired surrogate escapes, so the click would be acknowledged and then lost).
    /// </summary>
    public static bool IsStorable(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(p => IsStorableText(p.Name) && IsStorable(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsStorable),
                JsonValueKind.String => IsStorableText(element.GetString()!),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false; // An escape that is not valid UTF-16.
        }
    }

    private static bool IsStorableText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>, which also takes "1", "0x7f" or
    /// "010.0.0.1" (read as octal, 8.0.0.1): IPv4 must be plain dotted decimal, so what is stored is what was sent.
    /// </summary>
    public static bool BeIpAddress(string? value)
    {
        if (value is null)
        {
            return true;
        }

        if (value.Length > 45 || !IPAddress.TryParse(value, out var address))
        {
            return false;
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? value.Contains(':', StringComparison.Ordinal)
            : string.Equals(address.ToString(), value, StringComparison.Ordinal);
    }
}
