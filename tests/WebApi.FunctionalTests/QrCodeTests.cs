using System.IO.Compression;
using System.Net;
using System.Xml.Linq;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using QRCoder;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// <c>GET /links/{tracking_id}/qr</c>: the image is decoded here (PNG) and compared module by module with the QR
/// matrix of the expected URL, so a code that encodes anything else fails.
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
        var image = Png.Decode(await response.Content.ReadAsByteArrayAsync());
        var matrix = Matrix(expected);
        Assert.That(image.Width, Is.LessThanOrEqualTo(size).And.GreaterThan(size - matrix.Count), "the largest whole number of pixels per module that fits");
        Assert.That(image.Width, Is.EqualTo(image.Height));
        Assert.That(Sample(image, matrix.Count), Is.EqualTo(matrix), "the image is the QR code of the redirect URL with ?src=qr");
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
        Assert.That(Png.Decode(await byDefault.Content.ReadAsByteArrayAsync()).Width, Is.LessThanOrEqualTo(256).And.GreaterThan(200));
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

    private static List<bool[]> Matrix(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToList();
    }

    /// <summary>Dark or light at the centre of each module.</summary>
    private static List<bool[]> Sample(Png image, int modules)
    {
        var pixelsPerModule = image.Width / modules;
        return Enumerable.Range(0, modules)
            .Select(y => Enumerable.Range(0, modules).Select(x => image.IsDark((x * pixelsPerModule) + (pixelsPerModule / 2), (y * pixelsPerModule) + (pixelsPerModule / 2))).ToArray())
            .ToList();
    }

    /// <summary>A minimal PNG reader: greyscale or palette, 1 to 8 bits, all five row filters, no interlace.</summary>
    private sealed class Png
    {
        private readonly byte[] _pixels;
        private readonly int _stride;
        private readonly int _bitDepth;
        private readonly byte[] _palette;
        private readonly int _colorType;

        private Png(int width, int height, int bitDepth, int colorType, byte[] palette, byte[] pixels, int stride)
        {
            Width = width;
            Height = height;
            _bitDepth = bitDepth;
            _colorType = colorType;
            _palette = palette;
            _pixels = pixels;
            _stride = stride;
        }

        public int Width { get; }

        public int Height { get; }

        public bool IsDark(int x, int y)
        {
            var bitIndex = x * _bitDepth;
            var raw = _pixels[(y * _stride) + (bitIndex / 8)];
            var value = (raw >> (8 - _bitDepth - (bitIndex % 8))) & ((1 << _bitDepth) - 1);
            var grey = _colorType == 3 ? (_palette[value * 3] + _palette[(value * 3) + 1] + _palette[(value * 3) + 2]) / 3 : value * 255 / ((1 << _bitDepth) - 1);
            return grey < 128;
        }

        public static Png Decode(byte[] file)
        {
            Assert.That(file.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "a PNG signature");
            int width = 0, height = 0, bitDepth = 0, colorType = 0;
            var palette = Array.Empty<byte>();
            using var idat = new MemoryStream();
            for (var offset = 8; offset < file.Length;)
            {
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
                var type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
                var data = file.AsSpan(offset + 8, length);
                switch (type)
                {
                    case "IHDR":
                        width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data);
                        height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                        bitDepth = data[8];
                        colorType = data[9];
                        Assert.That(colorType, Is.AnyOf(0, 3), "greyscale or palette");
                        Assert.That(data[12], Is.Zero, "not interlaced");
                        break;
                    case "PLTE":
                        palette = data.ToArray();
                        break;
                    case "IDAT":
                        idat.Write(data);
                        break;
                }

                offset += length + 12;
            }

            idat.Position = 0;
            using var inflated = new MemoryStream();
            using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            {
                zlib.CopyTo(inflated);
            }

            var stride = ((width * bitDepth) + 7) / 8;
            var raw = inflated.ToArray();
            var pixels = new byte[stride * height];
            for (var y = 0; y < height; y++)
            {
                var filter = raw[y * (stride + 1)];
                for (var i = 0; i < stride; i++)
                {
                    var x = raw[(y * (stride + 1)) + 1 + i];
                    int left = i > 0 ? pixels[(y * stride) + i - 1] : 0;
                    int up = y > 0 ? pixels[((y - 1) * stride) + i] : 0;
                    int upLeft = i > 0 && y > 0 ? pixels[((y - 1) * stride) + i - 1] : 0;
                    pixels[(y * stride) + i] = (byte)(filter switch
                    {
                        0 => x,
                        1 => x + left,
                        2 => x + up,
                        3 => x + ((left + up) / 2),
                        4 => x + Paeth(left, up, upLeft),
                        _ => throw new InvalidDataException($"PNG filter {filter}"),
                    });
                }
            }

            return new Png(width, height, bitDepth, colorType, palette, pixels, stride);
        }

        private static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            var pa = Math.Abs(p - a);
            var pb = Math.Abs(p - b);
            var pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
