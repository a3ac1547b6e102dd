namespace LinkTracking.Domain.Clicks;

/// <summary>Who made a click. Everything but <see cref="Human"/> is a bot (<c>is_bot</c>).</summary>
public enum BotCategory
{
    /// <summary>A person, as far as every signal can tell.</summary>
    Human = 0,

    /// <summary>A mail security gateway or link checker fetching the link on delivery (Safe Links, Proofpoint, …).</summary>
    Scanner = 1,

    /// <summary>A search engine, archiver or other crawler.</summary>
    Crawler = 2,

    /// <summary>A chat or social app fetching the page for a link preview (Slack, Teams, WhatsApp, …).</summary>
    Preview = 3,

    /// <summary>An uptime or link monitor.</summary>
    Monitor = 4,
}

/// <summary>The wire names of <see cref="BotCategory"/> (<c>human</c>, <c>scanner</c>, …).</summary>
public static class BotCategories
{
    public const int MaxNameLength = 10;

    public static IReadOnlyList<BotCategory> All { get; } = Enum.GetValues<BotCategory>();

    public static string Name(this BotCategory category) => category switch
    {
        BotCategory.Human => "human",
        BotCategory.Scanner => "scanner",
        BotCategory.Crawler => "crawler",
        BotCategory.Preview => "preview",
        BotCategory.Monitor => "monitor",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    public static bool TryParse(string? name, out BotCategory category)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                category = candidate;
                return true;
            }
        }

        category = BotCategory.Human;
        return false;
    }
}
