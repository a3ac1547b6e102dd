using System.Collections.Frozen;
using Microsoft.AspNetCore.Mvc;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
var app = builder.Build();
app.MapControllers();
await app.RunAsync();

namespace BaselineRedirect
{
    /// <summary>302 from an in-memory dictionary: no database, no cache, no recording. The ceiling.</summary>
    [ApiController]
    [Route("track")]
    public sealed class BaselineController : ControllerBase
    {
        private static readonly FrozenDictionary<string, string> Links =
            new Dictionary<string, string> { ["lt_benchbaseline"] = "https://example.com/job" }.ToFrozenDictionary();

        [HttpGet("{trackingId}")]
        public IActionResult Follow(string trackingId)
        {
            if (!Links.TryGetValue(trackingId, out var url))
            {
                return NotFound();
            }

            Response.Headers.CacheControl = "no-store";
            return Redirect(url);
        }
    }
}
