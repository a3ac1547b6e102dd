namespace LinkTracking.Application.Common.Models;

/// <summary>One page of a list, with the total number of items across all pages.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
