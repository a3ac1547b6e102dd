namespace LinkTracking.Domain.Common;

/// <summary>
/// A share of a sample (<see cref="Successes"/> out of <see cref="Trials"/>) with its Wilson score interval, the
/// interval every rate the service reports carries so that a small sample never reads as a finding.
/// </summary>
/// <remarks>
/// Wilson (1927); Newcombe, "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17
/// (1998), method 3. Unlike the normal ("Wald") interval it stays inside [0, 1] and is honest at 0 and n.
/// </remarks>
public readonly record struct Proportion
{
    /// <summary>The standard normal quantile for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    public Proportion(long successes, long trials)
    {
        if (trials < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, "A sample cannot be negative.");
        }

        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes must lie in [0, trials].");
        }

        Successes = successes;
        Trials = trials;
    }

    public long Successes { get; }

    public long Trials { get; }

    /// <summary>The observed rate; 0 for an empty sample.</summary>
    public double Rate => Trials == 0 ? 0 : (double)Successes / Trials;

    /// <summary>The Wilson score 95 % interval; [0, 1] for an empty sample (nothing is known).</summary>
    public (double Low, double High) Wilson95
    {
        get
        {
            if (Trials == 0)
            {
                return (0, 1);
            }

            double n = Trials;
            var p = Rate;
            const double z2 = Z95 * Z95;
            var denominator = 1 + (z2 / n);
            var centre = (p + (z2 / (2 * n))) / denominator;
            var halfWidth = Z95 * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
            return (Math.Max(0, centre - halfWidth), Math.Min(1, centre + halfWidth));
        }
    }

    /// <summary>
    /// True only when the two 95 % intervals do not overlap: the conservative reading the API calls
    /// <c>significant</c>. Two empty samples, or any sample against an empty one, never differ.
    /// </summary>
    public bool DiffersFrom(Proportion other)
    {
        if (Trials == 0 || other.Trials == 0)
        {
            return false;
        }

        var (low, high) = Wilson95;
        var (otherLow, otherHigh) = other.Wilson95;
        return high < otherLow || otherHigh < low;
    }
}
