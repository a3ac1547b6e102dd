using System.Net;
using System.Xml.Linq;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using StbImageSharp;
using ZXing;
using ZXing.Common;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// <c>GET /links/{tracking_id}/qr</c>: the PNG is decoded (StbImageSharp) and scanned (ZXing.Net) as a phone would —
/// libraries other than the one the service draws with — so a code that encodes anything else, or does not scan, fails.
/// </summary>
public sealed class QrCodeTests(TestProvider provider) : ApiFixture(provider)
{
    [TestCase(64)]
    [TestCase(256)]
    [TestCase(2048)]
    public async Task Png_EncodesTheRedirectUrlWithSrcQr(int size)
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/cv", link_function = "Resume" });
        var expected = link.GetProperty("redirect_url").GetString() + "?src=qr";

        using var response = await Admin.GetAsync($"{Api}/links/{link.GetProperty("tracking_id").GetString()}/qr?format=png&size={size}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        var image = Decode(await response.Content.ReadAsByteArrayAsync());
        var (pixelsPerModule, modules) = Geometry(image);
        Assert.That(Scan(image), Is.EqualTo(expected), "a scan of the image reads the redirect URL with ?src=qr");
        Assert.That(image.Width, Is.EqualTo(image.Height));
        Assert.That(image.Width, Is.EqualTo(pixelsPerModule * modules).And.LessThanOrEqualTo(size));
        Assert.That((pixelsPerModule + 1) * modules, Is.GreaterThan(size), "the largest whole number of pixels per module that fits");
    }

    [Test]
    public async Task Svg_IsAnSvgOfTheSizeAskedFor_AndPngIsTheDefault()
    {
        var trackingId = await CreateLinkIdAsync();

        using var svg = await Admin.GetAsync($"{Api}/links/{trackingId}/qr?format=svg&size=300");
        using var byDefault = await Admin.GetAsync($"{Api}/links/{trackingId}/qr");

        Assert.That(svg.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(svg.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/svg+xml"));
        var root = XDocument.Parse(await svg.Content.ReadAsStringAsync()).Root!;
        Assert.That(root.Name.LocalName, Is.EqualTo("svg"));
        Assert.That(root.Attribute("width")?.Value, Does.StartWith("300"));
        Assert.That(byDefault.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(Decode(await byDefault.Content.ReadAsByteArrayAsync()).Width, Is.LessThanOrEqualTo(256).And.GreaterThan(200));
    }

    [Test]
    public async Task QrCode_IsCacheable_AndAMatchingIfNoneMatchAnswers304()
    {
        var trackingId = await CreateLinkIdAsync();
        using var first = await Admin.GetAsync($"{Api}/links/{trackingId}/qr?size=128");
        var etag = first.Headers.ETag;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Api}/links/{trackingId}/qr?size=128");
        request.Headers.IfNoneMatch.Add(etag!);
        using var revalidated = await Admin.SendAsync(request);
        using var otherSize = await Admin.GetAsync($"{Api}/links/{trackingId}/qr?size=129");

        Assert.That(etag, Is.Not.Null);
        Assert.That(etag!.IsWeak, Is.False);
        Assert.That(first.Headers.CacheControl?.MaxAge, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(otherSize.Headers.ETag, Is.Not.EqualTo(etag));
    }

    [Test]
    public async Task AScanOfTheCode_CountsWithClickSourceQr()
    {
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/cv", link_function = "Resume" });
        var trackingId = link.GetProperty("tracking_id").GetString()!;

        using var scan = await Anonymous.GetAsync($"/track/{trackingId}?src=qr");
        using var invented = await Anonymous.GetAsync($"/track/{trackingId}?src=made-up");
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(scan.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(scan.Headers.Location?.ToString(), Is.EqualTo("https://example.com/cv"));
        var sources = stats.GetProperty("clicks_by_source");
        Assert.That(sources.GetProperty("qr").GetInt32(), Is.EqualTo(1), stats.ToString());
        Assert.That(sources.GetProperty("direct").GetInt32(), Is.EqualTo(1), "an unknown src is ignored: " + stats);
    }

    [TestCase("size=63", "size")]
    [TestCase("size=2049", "size")]
    [TestCase("size=big", "size")]
    [TestCase("format=gif", "format")]
    public async Task QrCode_WithBadParameters_Returns400NamingIt(string query, string field)
    {
        var trackingId = await CreateLinkIdAsync();

        using var response = await Admin.GetAsync($"{Api}/links/{trackingId}/qr?{query}");

        await AssertValidationErrorAsync(response, field);
    }

    [Test]
    public async Task QrCode_OfAnUnknownLink_Returns404()
    {
        using var response = await Admin.GetAsync($"{Api}/links/lt_doesnotexist1/qr");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    private static ImageResult Decode(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "a PNG signature");
        return ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
    }

    /// <summary>
    /// What a QR scanner reads in the image; null when it finds no code. A small image is first enlarged (nearest
    /// neighbour, as a screen shows it) to about 256 pixels: a scanner's detector needs a few pixels per module.
    /// </summary>
    private static string? Scan(ImageResult image)
    {
        var scale = Math.Max(1, (256 + image.Width - 1) / image.Width);
        var (width, height) = (image.Width * scale, image.Height * scale);
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                Array.Copy(image.Data, (((y / scale) * image.Width) + (x / scale)) * 4, rgba, ((y * width) + x) * 4, 4);
            }
        }

        var reader = new BarcodeReaderGeneric
        {
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true },
        };
        return reader.Decode(new RGBLuminanceSource(rgba, width, height, RGBLuminanceSource.BitmapFormat.RGBA32))?.Text;
    }

    /// <summary>
    /// Pixels per module and modules across, read off the top-left finder pattern: after a quiet zone of 4 light
    /// modules, a run of 7 dark ones.
    /// </summary>
    private static (int PixelsPerModule, int Modules) Geometry(ImageResult image)
    {
        var top = Enumerable.Range(0, image.Height).First(y => Enumerable.Range(0, image.Width).Any(x => IsDark(image, x, y)));
        var left = Enumerable.Range(0, image.Width).First(x => IsDark(image, x, top));
        var run = Enumerable.Range(left, image.Width - left).TakeWhile(x => IsDark(image, x, top)).Count();
        var pixelsPerModule = run / 7;
        Assert.That(run % 7, Is.Zero, "a finder pattern is 7 whole modules");
        Assert.That((left, top), Is.EqualTo((4 * pixelsPerModule, 4 * pixelsPerModule)), "a 4-module quiet zone");
        return (pixelsPerModule, image.Width / pixelsPerModule);
    }

    private static bool IsDark(ImageResult image, int x, int y)
    {
        var i = ((y * image.Width) + x) * 4;
        return image.Data[i] + image.Data[i + 1] + image.Data[i + 2] < 3 * 128;
    }
}
