-- wrk script of bench/load.sh: redirects as browsers send them, over many links, from many client addresses.
-- BENCH_LINKS_FILE: tracking ids, one a line. One link takes 20 % of the requests (a post that went viral), the rest
-- spread evenly over the others. Every request comes through a proxy the service trusts (Network:TrustedProxies =
-- 127.0.0.1) with a random public IPv4 address in X-Forwarded-For (outside the private, loopback, shared, link-local
-- and multicast ranges: the country database spreads them over ~200 countries, as the allocated address space is),
-- one of today's browsers with the headers it sends (Accept, Accept-Language, Sec-Fetch-*, Sec-CH-UA on Chromium),
-- half of them from a LinkedIn referrer. No cookie: every request is a new visitor (the path that issues a session).
-- The requests are built as raw strings (no wrk.format per request) so that the generator takes as little of the
-- two cores as it can; the same script drives both phases, so its cost is the same in both.
local ids = {}
for line in io.lines(os.getenv("BENCH_LINKS_FILE")) do
  if #line > 0 then ids[#ids + 1] = line end
end

local accept = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
local fetch = "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\nSec-Fetch-User: ?1\r\n"
  .. "Upgrade-Insecure-Requests: 1\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
local browsers = {
  { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    'Sec-CH-UA: "Not/A)Brand";v="8", "Chromium";v="126", "Google Chrome";v="126"\r\nSec-CH-UA-Mobile: ?0\r\nSec-CH-UA-Platform: "Windows"\r\n' },
  { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "" },
  { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "" },
  { "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36",
    'Sec-CH-UA: "Not/A)Brand";v="8", "Chromium";v="126", "Google Chrome";v="126"\r\nSec-CH-UA-Mobile: ?1\r\nSec-CH-UA-Platform: "Android"\r\n' },
  { "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0", "" },
  { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    'Sec-CH-UA: "Not/A)Brand";v="8", "Chromium";v="126", "Microsoft Edge";v="126"\r\nSec-CH-UA-Mobile: ?0\r\nSec-CH-UA-Platform: "Windows"\r\n' },
}
local languages = { "en-US,en;q=0.9", "en-GB,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9,en;q=0.8",
  "es-ES,es;q=0.9", "pt-BR,pt;q=0.9,en;q=0.8", "hi-IN,hi;q=0.9,en;q=0.8", "ja-JP,ja;q=0.9", "nl-NL,nl;q=0.9,en;q=0.8" }

-- Every (browser, language, referrer) header block, built once.
local blocks = {}
for _, b in ipairs(browsers) do
  for _, l in ipairs(languages) do
    local block = "User-Agent: " .. b[1] .. "\r\n" .. accept .. "Accept-Language: " .. l .. "\r\n" .. b[2] .. fetch
    blocks[#blocks + 1] = block
    blocks[#blocks + 1] = block .. "Referer: https://www.linkedin.com/\r\n"
  end
end

local host = wrk.host .. ":" .. tostring(wrk.port)
local prefixes = {}
for i, id in ipairs(ids) do prefixes[i] = "GET /track/" .. id .. " HTTP/1.1\r\nHost: " .. host .. "\r\n" end

local random = math.random
local function public_address()
  while true do
    local a, b = random(1, 223), random(0, 255)
    if not (a == 10 or a == 127 or (a == 100 and b >= 64 and b < 128) or (a == 169 and b == 254)
            or (a == 172 and b >= 16 and b < 32) or (a == 192 and b == 168)) then
      return a .. "." .. b .. "." .. random(0, 255) .. "." .. random(1, 254)
    end
  end
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init()
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  local link = 1
  if random() >= 0.2 then link = random(2, #prefixes) end
  return prefixes[link] .. blocks[random(1, #blocks)] .. "X-Forwarded-For: " .. public_address() .. "\r\n\r\n"
end
