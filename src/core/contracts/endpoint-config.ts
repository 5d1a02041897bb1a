/**
 * The connection settings of an OpenAI-compatible endpoint, as the page hands them to the worker, and the one
 * list of their fields. The setup form and the setup memory pick the settings out of what they keep of an
 * endpoint by it, and the worker's registry tells two settings apart by it: a field added here is carried,
 * and told apart, everywhere.
 */
export interface EndpointConfig {
  id: string;
  baseUrl: string;
  apiKey?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Largest reply read, in bytes (default 8 MB). */
  maxReplyBytes?: number;
  /** How long a short outage of the endpoint is waited out once it has answered (default 60 s; 0: not at all). */
  outageGraceMs?: number;
  /** Requests in flight to this server at once (its parallel slots). Default 4. */
  concurrency?: number;
}

/** Every field, each once: the type refuses a field of EndpointConfig left out here, and one it does not have. */
const FIELDS: { readonly [K in keyof Required<EndpointConfig>]: true } = {
  id: true,
  baseUrl: true,
  apiKey: true,
  timeoutMs: true,
  maxRetries: true,
  maxReplyBytes: true,
  outageGraceMs: true,
  concurrency: true,
};

/** The fields of EndpointConfig, in a stable order. */
export const ENDPOINT_CONFIG_FIELDS = Object.freeze(Object.keys(FIELDS) as (keyof EndpointConfig)[]);

/**
 * The connection settings among what is kept of an endpoint (the page's state of it, its stored record).
 * Unset ones stay absent, not `undefined` (the worker's defaults apply, stored records stay small), and so
 * does an empty key.
 */
export function endpointConfigOf(kept: EndpointConfig): EndpointConfig {
  const config: Record<string, unknown> = {};
  for (const f of ENDPOINT_CONFIG_FIELDS) {
    const v = kept[f];
    if (v !== undefined && !(f === 'apiKey' && v === '')) config[f] = v;
  }
  return config as unknown as EndpointConfig;
}

/** Equal exactly for settings that talk to the server alike: every field (the key included), in one order. */
export function endpointSettingsKey(c: EndpointConfig): string {
  return JSON.stringify(ENDPOINT_CONFIG_FIELDS.map((f) => c[f]));
}
