using System.Linq.Expressions;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// The stretches of time around some clicks in which their neighbours lie: for each origin, the windows
/// [clicked_at − reach, clicked_at + reach] of its clicks, overlapping ones merged. Asking for these rather than for
/// everything between a batch's first and last click keeps a backfill spread over months (a partner sending 90 days
/// at once) from reading most of the table for every batch: the cost follows the clicks written, not the span they
/// cover. Each window is one range read on the <c>(origin, clicked_at)</c> index.
/// </summary>
public static class NeighbourWindows
{
    /// <summary>Windows per statement: three parameters each, well inside every provider's limit.</summary>
    public const int MaxPerQuery = 128;

    /// <summary>The merged windows, ordered by origin then start.</summary>
    public static IReadOnlyList<Window> Of(IEnumerable<(string Origin, DateTime ClickedAt)> anchors, TimeSpan reach)
    {
        var windows = new List<Window>();
        foreach (var origin in anchors.GroupBy(a => a.Origin, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Window? open = null;
            foreach (var at in origin.Select(a => a.ClickedAt).Order())
            {
                var (from, to) = (at - reach, at + reach);
                if (open is not null && from <= open.To)
                {
                    open = open with { To = to };
                    continue;
                }

                if (open is not null)
                {
                    windows.Add(open);
                }

                open = new Window(origin.Key, from, to);
            }

            windows.Add(open!);
        }

        return windows;
    }

    /// <summary>
    /// <c>origin = @o1 AND clicked_at BETWEEN @f1 AND @t1 OR …</c> over <paramref name="windows"/>, every value a
    /// parameter. The list is padded to the next power of two with its last window (a repeated term changes nothing), so
    /// the providers compile and cache a handful of statement shapes, not one per batch size.
    /// </summary>
    public static Expression<Func<LinkClick, bool>> Predicate(IReadOnlyList<Window> windows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count);
        var click = Expression.Parameter(typeof(LinkClick), "c");
        var origin = Expression.Property(click, nameof(LinkClick.Origin));
        var clickedAt = Expression.Property(click, nameof(LinkClick.ClickedAt));
        Expression? any = null;
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)windows.Count);
        for (var i = 0; i < size; i++)
        {
            // A member of a constant object is what the providers turn into a parameter (as for a captured variable).
            var window = Expression.Constant(windows[Math.Min(i, windows.Count - 1)]);
            var term = Expression.AndAlso(
                Expression.Equal(origin, Expression.Property(window, nameof(Window.Origin))),
                Expression.AndAlso(
                    Expression.GreaterThanOrEqual(clickedAt, Expression.Property(window, nameof(Window.From))),
                    Expression.LessThanOrEqual(clickedAt, Expression.Property(window, nameof(Window.To)))));
            any = any is null ? term : Expression.OrElse(any, term);
        }

        return Expression.Lambda<Func<LinkClick, bool>>(any!, click);
    }

    /// <summary>One origin's stretch of time, both ends included.</summary>
    public sealed record Window(string Origin, DateTime From, DateTime To);
}
