// @linktracking/client against a live service, as an integrator installs it (scripts/check-client-packages.sh installs
// the packed tarball into a fresh project and runs this there; LINKTRACKING_URL and LINKTRACKING_API_KEY name the
// service and an admin key).
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLinkTrackingClient } from "@linktracking/client";

const baseUrl = process.env.LINKTRACKING_URL;
const apiKey = process.env.LINKTRACKING_API_KEY;
const live = { skip: !baseUrl || !apiKey ? "LINKTRACKING_URL and LINKTRACKING_API_KEY are not set" : false };
const browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

test("create a link, record a click, read it back from the link's analytics", live, async () => {
  const client = createLinkTrackingClient({ baseUrl, apiKey });

  const created = await client.POST("/api/v1/link-tracking/create", {
    body: { original_url: "https://example.com/from-the-npm-package", link_function: "Portfolio" },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const trackingId = created.data.tracking_id;
  assert.match(trackingId, /^lt_[a-z0-9]{12}$/);

  const click = await client.POST("/api/v1/link-tracking/record-click", {
    body: {
      tracking_id: trackingId,
      clicked_at: new Date(Date.now() - 60_000).toISOString(),
      ip_address: "203.0.113.7",
      referrer_url: "https://www.linkedin.com/feed/",
      session_id: "npm-session",
      user_agent: browser,
    },
  });
  assert.ok(click.response.ok, JSON.stringify(click.error));
  assert.equal(click.data.click_source, "linkedin");

  // Stored clicks reach the analytics within moments; wait at most 20 s.
  let analytics;
  for (let attempt = 0; attempt < 40; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    analytics = await client.GET("/api/v1/link-tracking/analytics/{trackingId}", {
      params: { path: { trackingId }, query: { include_bots: true } },
    });
    assert.ok(analytics.response.ok, JSON.stringify(analytics.error));
    if (analytics.data.click_statistics.total_clicks >= 1) break;
  }
  assert.equal(analytics.data.link_info.tracking_id, trackingId);
  assert.equal(analytics.data.click_statistics.total_clicks, 1);
});

test("a wrong key comes back as the service's problem document, not an exception", live, async () => {
  const client = createLinkTrackingClient({ baseUrl, apiKey: "ltk_not-a-key" });

  const { data, error, response } = await client.GET("/api/v1/link-tracking/links");

  assert.equal(response.status, 401);
  assert.equal(data, undefined);
  assert.equal(error.status, 401);
  assert.ok(error.title);
});

test("the key is not sent over plain http to a host that is not loopback unless allowed", () => {
  assert.throws(() => createLinkTrackingClient({ baseUrl: "http://links.example.com", apiKey: "ltk_x" }), /plain http/);
  assert.doesNotThrow(() => createLinkTrackingClient({ baseUrl: "http://links.internal", apiKey: "ltk_x", allowUnencryptedHttp: true }));
  assert.doesNotThrow(() => createLinkTrackingClient({ baseUrl: "https://links.example.com/", apiKey: "ltk_x" }));
  assert.throws(() => createLinkTrackingClient({ baseUrl: "https://links.example.com", apiKey: " " }), /apiKey/);
});
