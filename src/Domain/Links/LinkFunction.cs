namespace LinkTracking.Domain.Links;

/// <summary>What a link is for in an application (LinkedIn, Calendly, ...): 1–50 letters, digits, '_' or '-'.</summary>
public static class LinkFunction
{
    public const int MaxLength = 50;

    public const string LinkedIn = "LinkedIn";
    public const string Calendly = "Calendly";
    public const string CompanyWebsite = "Company_Website";
    public const string ApplyNow = "Apply_Now";
    public const string JobPosting = "Job_Posting";
    public const string Portfolio = "Portfolio";
    public const string GitHub = "GitHub";
    public const string Resume = "Resume";
    public const string CoverLetter = "Cover_Letter";
    public const string References = "References";
    public const string Contact = "Contact";

    /// <summary>
    /// The hidden link of an application package that no person sees: whoever follows it is a scanner. Left out of
    /// every count.
    /// </summary>
    public const string Decoy = "Decoy";

    public static IReadOnlyList<string> Standard { get; } =
    [
        LinkedIn, Calendly, CompanyWebsite, ApplyNow, JobPosting, Portfolio, GitHub, Resume, CoverLetter, References, Contact,
    ];

    public static bool IsDecoy(string? value) => string.Equals(value, Decoy, StringComparison.Ordinal);

    public static bool IsWellFormed(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
