// Owns the webhook form of the event routine: a fetch-API handler (Node, Workers, Zuplo)
// that authenticates Auth0's delivery, bounds the body and answers with the routine's status.
import { readConfig } from "../config.js";
import { createAuth0Lookups } from "./auth0-lookups.js";
import { createEventRoutine, type EventRoutineOptions, type HandledEvent } from "./handle-event.js";
import { linkLookupSettings } from "./link-lookup.js";

/** How Auth0 authenticates to the webhook (the Event Stream's `webhook_authorization`). */
export type WebhookAuth =
  | { bearer: string }
  | {
      /** Header name, e.g. `x-keysmith-token` (`custom_header` method). */
      header: string;
      value: string;
    };

export interface Auth0EventHandlerOptions extends EventRoutineOptions {
  /**
   * Settings named and checked as the action's secrets (`ZUPLO_API_KEY`...), plus the
   * optional `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET` for account linking
   * and (organization scope) reading members.
   */
  settings: Readonly<Record<string, string | undefined>>;
  auth: WebhookAuth;
  /** Larger bodies get 413; default 256 KiB (an Auth0 user event is a few kB). */
  maxBodyBytes?: number;
  /** Called with each outcome's log line (default: `console.log`). */
  log?: (line: string, handled: HandledEvent) => void;
}

export type HandleAuth0Event = (request: Request) => Promise<Response>;

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const MIN_SECRET = 16;

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Compares two strings in time independent of where they differ (both are hashed first). */
async function sameSecret(given: string, expected: Uint8Array): Promise<boolean> {
  const actual = await digest(given);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= (actual[i] as number) ^ (expected[i] as number);
  return diff === 0;
}

function answer(
  status: number,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
  });
}

class TooLarge extends Error {}

/** Reads at most `max` bytes of the body; throws TooLarge past it, without reading the rest. */
async function readBody(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) throw new TooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

function checkAuth(auth: WebhookAuth): { header: string; expected: string } {
  const secret = "bearer" in auth ? auth.bearer : auth.value;
  if (typeof secret !== "string" || secret.length < MIN_SECRET) {
    throw new TypeError(`auth: the token must be at least ${MIN_SECRET} characters`);
  }
  if ("bearer" in auth) return { header: "authorization", expected: `Bearer ${secret}` };
  if (typeof auth.header !== "string" || !/^[A-Za-z0-9-]{1,64}$/.test(auth.header)) {
    throw new TypeError("auth.header: must be an HTTP header name (letters, digits, hyphens)");
  }
  return { header: auth.header.toLowerCase(), expected: secret };
}

/**
 * Creates `handleAuth0Event(request)`: the Auth0 Event Streams webhook. Answers 401 without
 * the configured bearer token or custom header (compared in constant time), 405 for other
 * methods, 413 above the body limit, 400 for a malformed CloudEvent, 204 for event types it
 * does not handle, 200 when handled (duplicates and stale events included) and 503 when the
 * key service failed, so Auth0 retries. Throws a TypeError at creation for bad settings.
 */
export function createAuth0EventHandler(options: Auth0EventHandlerOptions): HandleAuth0Event {
  const read = readConfig(options.settings);
  if (!read.ok) throw new TypeError(read.problem);
  const { header, expected } = checkAuth(options.auth);
  const expectedDigest = digest(expected);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => console.log(line));
  const link = linkLookupSettings(options.settings);
  const routine = createEventRoutine(read.config, {
    ...createAuth0Lookups(link, read.config.keyScope === "organization"),
    ...options,
  });

  return async function handleAuth0Event(request: Request): Promise<Response> {
    if (request.method !== "POST") return answer(405, { error: "use POST" }, { allow: "POST" });
    const given = request.headers.get(header) ?? "";
    if (!(await sameSecret(given, await expectedDigest))) {
      return answer(401, { error: "missing or wrong credentials" });
    }
    let text: string;
    try {
      text = await readBody(request, maxBody);
    } catch (error) {
      if (error instanceof TooLarge) return answer(413, { error: `body over ${maxBody} bytes` });
      return answer(400, { error: "body could not be read" });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(400, { error: "body is not JSON" });
    }
    const handled = await routine(body);
    log(handled.line, handled);
    if (handled.status === 204) return answer(204);
    return answer(handled.status, { outcome: handled.disposition, detail: handled.line });
  };
}
