// Owns reading Auth0's Management API from the event handling (fetch only): the
// client-credentials token, kept until shortly before it expires, and one GET.
import { LoggableError } from "../log-line.js";
import type { LinkLookupOptions } from "./link-lookup.js";

/** One Management API read: `path` under `/api/v2/`; `null` for a 404. Failures throw. */
export interface Auth0Reader {
  get(path: string, query: Record<string, string>, what: string): Promise<unknown>;
}

/** Each read (token included) gives up after this long: the event is then retried. */
const READ_TIMEOUT_MS = 3000;

/** What to fix when Auth0 refuses: the settings, never their values. */
const HINTS: Record<number, string> = {
  401: "check AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and AUTH0_DOMAIN",
  403: "grant the AUTH0_CLIENT_ID application read:users (organization scope: also read:organizations)",
};

/**
 * A failed Auth0 read. The message is built here from the endpoint's name and the status
 * only (never a body, token or secret), so it is safe to log as is.
 */
export class Auth0ReadError extends LoggableError {
  override name = "Auth0ReadError";
  readonly status: number | undefined;
  constructor(what: string, status?: number) {
    const hint = status === undefined ? undefined : HINTS[status];
    const base = status === undefined ? `Auth0 ${what}` : `Auth0 ${what} answered ${status}`;
    super(hint ? `${base}: ${hint}` : base);
    this.status = status;
  }
}

async function json(response: Response, what: string): Promise<unknown> {
  if (response.status === 404) return null;
  if (!response.ok) throw new Auth0ReadError(what, response.status);
  return response.json();
}

/** One request and its JSON; a timeout or network failure also becomes an Auth0ReadError. */
async function read(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  what: string,
): Promise<unknown> {
  try {
    return await json(await doFetch(url, init), what);
  } catch (error) {
    if (error instanceof Auth0ReadError) throw error;
    throw new Auth0ReadError(
      init.signal?.aborted
        ? `${what} did not answer within ${READ_TIMEOUT_MS} ms`
        : `${what} could not be read (network or JSON)`,
    );
  }
}

export function createAuth0Reader(options: LinkLookupOptions): Auth0Reader {
  const origin = options.origin ?? `https://${options.domain}`;
  const doFetch = options.fetch ?? fetch;
  let token: { value: string; until: number } | undefined;

  async function accessToken(signal: AbortSignal): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const answer = (await read(
      doFetch,
      `${origin}/oauth/token`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: options.clientId,
          client_secret: options.clientSecret,
          audience: `https://${options.domain}/api/v2/`,
        }),
        signal,
      },
      "token endpoint",
    )) as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof answer?.access_token !== "string") {
      throw new Auth0ReadError("token endpoint sent no access token");
    }
    const seconds = typeof answer.expires_in === "number" ? answer.expires_in : 300;
    token = { value: answer.access_token, until: Date.now() + Math.max(0, seconds - 60) * 1000 };
    return token.value;
  }

  return {
    async get(path, query, what) {
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
      const authorization = `Bearer ${await accessToken(signal)}`;
      return read(
        doFetch,
        `${origin}/api/v2/${path}?${new URLSearchParams(query)}`,
        { headers: { authorization }, signal },
        what,
      );
    },
  };
}
