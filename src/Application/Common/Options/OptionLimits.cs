namespace LinkTracking.Application.Common.Options;

/// <summary>
/// Bounds shared by the options' validators (<c>[Between(typeof(TimeSpan), …)]</c> takes strings). Every retention, limit
/// and interval is checked at start-up with a message naming its configuration key (issue 25: no setting may delete
/// data or spin a loop).
/// </summary>
public static class OptionLimits
{
    /// <summary>The lower bound of a duration that must be longer than zero (with <c>MinimumIsExclusive</c>) or may be zero.</summary>
    public const string Zero = "00:00:00";

    /// <summary>
    /// The longest interval of a timer: <c>PeriodicTimer</c> and <c>Task.Delay</c> take at most 2^32-2 ms (49.7 days);
    /// a longer one would fail when its job starts, not at start-up.
    /// </summary>
    public const string MaxTimerInterval = "49.00:00:00";

    /// <summary>The longest other duration accepted (ten years).</summary>
    public const string MaxDuration = "3650.00:00:00";

    /// <summary>The longest retention in days accepted (a hundred years).</summary>
    public const int MaxDays = 36_500;
}
