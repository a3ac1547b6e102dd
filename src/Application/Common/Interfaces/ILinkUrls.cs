namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Builds public URLs: <c>{base}/track/{tracking_id}</c>.</summary>
public interface ILinkUrls
{
    string RedirectUrlFor(string trackingId);
}
