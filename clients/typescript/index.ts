// @linktracking/client: openapi-fetch over the types generated from the service's OpenAPI document
// (linktracking.d.ts, scripts/generate-typescript.sh). Every path, body, query and answer is typed.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./linktracking.js";

export type { components, operations, paths };

/** The wire types by name, e.g. `Schemas["LinkDto"]`. */
export type Schemas = components["schemas"];

/** The typed client: `client.GET("/api/v1/link-tracking/analytics/{trackingId}", { params: { path: { trackingId } } })`. */
export type LinkTrackingClient = Client<paths>;

export interface LinkTrackingClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** The service's root, e.g. `https://links.example.com`. */
  baseUrl: string;
  /** A key with the scopes of the operations used (`links:write`, `analytics:read`); sent as `X-API-Key`. */
  apiKey: string;
  /** Send the key over plain http to a host that is not loopback (a private network). Off by default. */
  allowUnencryptedHttp?: boolean;
}

export const API_KEY_HEADER = "X-API-Key";

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A typed client for the service at `baseUrl` that sends `apiKey` in `X-API-Key` with every request (only to that
 * host: paths are relative to `baseUrl`). Answers come back as openapi-fetch's `{ data, error, response }`: `error`
 * is the problem document (`status`, `title`, `detail`) of a 4xx/5xx. Plain http is refused for a host that is not
 * loopback unless `allowUnencryptedHttp` is set, so the key does not cross a network in clear.
 */
export function createLinkTrackingClient(options: LinkTrackingClientOptions): LinkTrackingClient {
  const { baseUrl, apiKey, allowUnencryptedHttp = false, headers, ...rest } = options;
  if (!apiKey || !apiKey.trim()) {
    throw new TypeError("apiKey is required (create one with `api-keys create`).");
  }
  const root = new URL(baseUrl);
  if (root.protocol !== "https:" && root.protocol !== "http:") {
    throw new TypeError(`baseUrl must be http(s): ${baseUrl}`);
  }
  if (root.protocol === "http:" && !loopbackHosts.has(root.hostname) && !allowUnencryptedHttp) {
    throw new TypeError(`Refusing to send the API key over plain http to ${root.host}: use https, or set allowUnencryptedHttp for a private network.`);
  }
  const merged = new Headers(headers as HeadersInit | undefined);
  merged.set(API_KEY_HEADER, apiKey);
  return createClient<paths>({ ...rest, baseUrl: root.href.replace(/\/+$/, ""), headers: merged });
}

export default createLinkTrackingClient;
