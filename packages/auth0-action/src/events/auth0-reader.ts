// Owns reading Auth0's Management API from the event handling (fetch only): the
// client-credentials token, kept until shortly before it expires, and one GET.
import type { LinkLookupOptions } from "./link-lookup.js";

/** One Management API read: `path` under `/api/v2/`; `null` for a 404. Failures throw. */
export interface Auth0Reader {
  get(path: string, query: Record<string, string>, what: string): Promise<unknown>;
}

/** Each read (token included) gives up after this long: the event is then retried. */
const READ_TIMEOUT_MS = 3000;

async function json(response: Response, what: string): Promise<unknown> {
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`Auth0 ${what} answered ${response.status}`);
  return response.json();
}

export function createAuth0Reader(options: LinkLookupOptions): Auth0Reader {
  const origin = options.origin ?? `https://${options.domain}`;
  const doFetch = options.fetch ?? fetch;
  let token: { value: string; until: number } | undefined;

  async function accessToken(signal: AbortSignal): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const answer = (await json(
      await doFetch(`${origin}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: options.clientId,
          client_secret: options.clientSecret,
          audience: `https://${options.domain}/api/v2/`,
        }),
        signal,
      }),
      "token endpoint",
    )) as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof answer?.access_token !== "string") throw new Error("Auth0 sent no access token");
    const seconds = typeof answer.expires_in === "number" ? answer.expires_in : 300;
    token = { value: answer.access_token, until: Date.now() + Math.max(0, seconds - 60) * 1000 };
    return token.value;
  }

  return {
    async get(path, query, what) {
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
      return json(
        await doFetch(`${origin}/api/v2/${path}?${new URLSearchParams(query)}`, {
          headers: { authorization: `Bearer ${await accessToken(signal)}` },
          signal,
        }),
        what,
      );
    },
  };
}
