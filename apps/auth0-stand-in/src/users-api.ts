import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { createOrganizations } from "./organizations-api.js";

export interface StandInUser {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  app_metadata?: Record<string, unknown>;
  /** Set by an administrator's block; absent on a user never blocked (as Auth0 answers). */
  blocked?: boolean;
  created_at: string;
  /** `{ provider, user_id }` of each identity; linked accounts add theirs here. */
  identities?: Array<{ provider: string; user_id: string; connection?: string }>;
}

export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  at: number;
}

export interface Job {
  id: string;
  status: "pending" | "processing" | "completed";
  fields: Array<{ name: string }>;
  format: string;
  polls: number;
  /** The users as they were when the job was created (an export is a snapshot). */
  snapshot: StandInUser[];
}

export interface StandInOptions {
  clientId: string;
  clientSecret: string;
  domain: string;
  /** Serve export files gzip-compressed (default true, like Auth0). */
  gzip?: boolean;
  /** GETs of a job before it reports `completed` (default 2). */
  jobPolls?: number;
  /** Largest `per_page` honoured; a larger ask is clamped (some tenants clamp to 50). */
  perPageMax?: number;
  /** Report `total` at most 1,000, as Auth0 may (default false: the real count). */
  capTotal?: boolean;
  /** A job's download location stops working this long after the job GET that gave it (403). */
  locationTtlMs?: number;
  /** Send the export file's first byte alone, then the rest (a 1-byte first chunk). */
  splitFirstByte?: boolean;
  /** Token bucket on Management API calls (not /oauth/token, not downloads). */
  rateLimit?: RateLimitOptions;
  /** Added before every Management API answer, in ms (realistic latency). */
  latencyMs?: number;
}

export interface RateLimitOptions {
  /** Refill rate: requests per second. */
  perSecond: number;
  /** Bucket size (`x-ratelimit-limit`), default `perSecond`. */
  burst?: number;
}

/** What a test can make the next matching request do. */
export type StandInFault =
  /** Never answer (the socket stays open until close()). */
  | { kind: "hang" }
  /** Send the headers and half the body, then cut the connection. */
  | { kind: "cut" }
  /** Send the headers and half the body, then never finish. */
  | { kind: "stall" }
  /** Answer this status (a Management API error body). */
  | { kind: "status"; status: number };

const SEARCH_CAP = 1000;

/**
 * A local stand-in for the Management API endpoints the backfill uses: client-credentials
 * token, users list/search (v3, include_totals, the 1,000-result cap), get/patch user,
 * users-exports jobs and the export download (NDJSON, gzip), and organizations with their
 * members (`organizations-api.ts`). Search and member listings are eventually consistent
 * here as in Auth0: they answer from an index refreshed only by `reindex()` (and at
 * seeding), so search can show a user without `api_consumer` that already has one.
 * `storm()` answers 429 with `x-ratelimit-reset` (epoch seconds) or `retry-after`; the
 * token bucket, `storm()` and `fault()` apply to every Management API route alike.
 */
export async function startAuth0UsersStandIn(options: StandInOptions) {
  const users = new Map<string, StandInUser>();
  let index: StandInUser[] = [];
  const jobs = new Map<string, Job>();
  const requests: StandInRequest[] = [];
  const downloads: Array<{ authorization: string | undefined }> = [];
  const patches: Array<{ userId: string; body: unknown }> = [];
  const patchListeners: Array<(count: number) => void> = [];
  const tokens = new Set<string>();
  let storm: { left: number; header: "reset" | "retry-after"; resetInMs: number } | undefined;
  let rateLimited = 0;
  const faults: Array<{
    match: (request: StandInRequest) => boolean;
    fault: StandInFault;
    times: number;
  }> = [];
  const requestListeners: Array<(request: StandInRequest) => void> = [];
  const locationIssued = new Map<string, number>();
  const bucket = options.rateLimit
    ? {
        perSecond: options.rateLimit.perSecond,
        size: options.rateLimit.burst ?? options.rateLimit.perSecond,
        tokens: options.rateLimit.burst ?? options.rateLimit.perSecond,
        at: Date.now(),
      }
    : undefined;
  /** Takes a token; returns the rate-limit headers and whether the call may proceed. */
  const takeToken = (): { ok: boolean; headers: Record<string, string> } => {
    if (!bucket) return { ok: true, headers: {} };
    const now = Date.now();
    bucket.tokens = Math.min(
      bucket.size,
      bucket.tokens + ((now - bucket.at) / 1000) * bucket.perSecond,
    );
    bucket.at = now;
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    // Auth0: reset is the UNIX time in seconds when the bucket is full again.
    const fullInMs = ((bucket.size - bucket.tokens) / bucket.perSecond) * 1000;
    return {
      ok,
      headers: {
        "x-ratelimit-limit": String(bucket.size),
        "x-ratelimit-remaining": String(Math.floor(bucket.tokens)),
        "x-ratelimit-reset": String(Math.ceil((now + fullInMs) / 1000)),
      },
    };
  };
  let echoes = 0;
  const audience = `https://${options.domain}/api/v2/`;

  const copy = (u: StandInUser): StandInUser => structuredClone(u);
  const orgs = createOrganizations((id) => {
    const u = users.get(id);
    return u && { user_id: u.user_id, email: u.email, name: u.name };
  });
  const project = (u: StandInUser, fields: string | null): Record<string, unknown> => {
    if (!fields) return copy(u) as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of fields.split(",")) {
      const value = (u as unknown as Record<string, unknown>)[f];
      if (value !== undefined) out[f] = structuredClone(value);
    }
    return out;
  };
  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { statusCode: status, error: String(status), message });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const logged: StandInRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    requests.push(logged);
    for (const listener of requestListeners) listener(logged);
    const faultAt = faults.findIndex((f) => f.times > 0 && f.match(logged));
    const fault = faultAt >= 0 ? faults[faultAt] : undefined;
    if (fault) {
      fault.times -= 1;
      if (fault.fault.kind === "hang") return;
      if (fault.fault.kind === "status") return error(res, fault.fault.status, "Injected failure");
    }
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return error(res, 400, "Invalid JSON");
    }

    if (method === "POST" && url.pathname === "/oauth/token") {
      const ok =
        body?.grant_type === "client_credentials" &&
        body?.client_id === options.clientId &&
        body?.client_secret === options.clientSecret &&
        body?.audience === audience;
      if (!ok) return send(res, 401, { error: "access_denied", error_description: "Unauthorized" });
      const token = `mgmt-token-${randomUUID()}`;
      tokens.add(token);
      return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: 86400 });
    }

    const download = url.pathname.match(/^\/exports\/([^/]+)\.json(\.gz)?$/);
    if (method === "GET" && download) {
      downloads.push({ authorization: req.headers.authorization });
      const job = jobs.get(decodeURIComponent(download[1] as string));
      if (job?.status !== "completed") return error(res, 404, "no such export");
      const issued = locationIssued.get(`${job.id}:${url.searchParams.get("sig")}`);
      if (
        issued === undefined ||
        (options.locationTtlMs !== undefined && Date.now() - issued > options.locationTtlMs)
      ) {
        return error(res, 403, "Request has expired");
      }
      const names = job.fields.map((f) => f.name).join(",");
      const text = job.snapshot.map((u) => JSON.stringify(project(u, names))).join("\n");
      const gz = options.gzip ?? true;
      const file = gz ? gzipSync(`${text}\n`) : Buffer.from(`${text}\n`);
      res.writeHead(200, { "content-type": gz ? "application/gzip" : "application/x-ndjson" });
      if (fault?.fault.kind === "cut" || fault?.fault.kind === "stall") {
        res.write(file.subarray(0, Math.floor(file.length / 2)));
        if (fault.fault.kind === "cut") setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (options.splitFirstByte) {
        res.write(file.subarray(0, 1));
        await new Promise((resolve) => setTimeout(resolve, 30));
        res.end(file.subarray(1));
        return;
      }
      res.end(file);
      return;
    }

    const token = req.headers.authorization?.replace(/^Bearer /, "");
    if (!token || !tokens.has(token)) return error(res, 401, "Invalid token");
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const limit = takeToken();
    if (!limit.ok) {
      rateLimited += 1;
      return send(
        res,
        429,
        { statusCode: 429, error: "Too Many Requests", message: "Global limit has been reached" },
        limit.headers,
      );
    }
    const sendLimited = (status: number, value?: unknown) =>
      send(res, status, value, limit.headers);
    if (echoes > 0) {
      echoes -= 1;
      // A hostile or buggy server: the caller's bearer token quoted back in the error.
      return error(res, 400, `Bad request with authorization Bearer ${token}`);
    }
    if (storm && storm.left > 0) {
      storm.left -= 1;
      rateLimited += 1;
      const headers: Record<string, string> =
        storm.header === "reset"
          ? {
              "x-ratelimit-limit": "10",
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": String(Math.ceil((Date.now() + storm.resetInMs) / 1000)),
            }
          : { "retry-after": String(Math.ceil(storm.resetInMs / 1000)) };
      return send(
        res,
        429,
        { statusCode: 429, error: "Too Many Requests", message: "Global limit has been reached" },
        headers,
      );
    }

    const path = url.pathname.replace(/^\/api\/v2/, "");
    const orgAnswer = orgs.route(method, path, url);
    if (orgAnswer) return sendLimited(orgAnswer.status, orgAnswer.body);
    if (method === "GET" && path === "/users") {
      const page = Number(url.searchParams.get("page") ?? 0);
      const asked = Number(url.searchParams.get("per_page") ?? 50);
      if (asked > 100) return error(res, 400, "per_page must be at most 100");
      const perPage = Math.min(asked, options.perPageMax ?? asked);
      if (url.searchParams.get("q")) return error(res, 400, "the stand-in does not parse q");
      if ((page + 1) * perPage > SEARCH_CAP) {
        return error(res, 400, "You can only page through the first 1000 records.");
      }
      const found = index.slice(page * perPage, (page + 1) * perPage);
      const list = found.map((u) => project(u, url.searchParams.get("fields")));
      if (url.searchParams.get("include_totals") !== "true") return sendLimited(200, list);
      return sendLimited(200, {
        start: page * perPage,
        limit: perPage,
        length: list.length,
        total: options.capTotal ? Math.min(index.length, SEARCH_CAP) : index.length,
        users: list,
      });
    }
    if (method === "GET" && path === "/users-by-email") {
      // Immediately consistent (no search index), exact and case-sensitive, as in Auth0.
      const email = url.searchParams.get("email");
      if (!email) return error(res, 400, "email is required");
      const found = [...users.values()].filter((u) => u.email === email);
      return send(
        res,
        200,
        found.map((u) => project(u, url.searchParams.get("fields"))),
      );
    }
    const userMatch = path.match(/^\/users\/([^/]+)$/);
    if (userMatch) {
      const user = users.get(decodeURIComponent(userMatch[1] as string));
      if (!user) return error(res, 404, "The user does not exist.");
      if (method === "GET") return sendLimited(200, project(user, url.searchParams.get("fields")));
      if (method === "PATCH") {
        const meta = body?.app_metadata;
        if (meta && typeof meta === "object") {
          // Auth0 merges app_metadata at the first level; null removes a key.
          user.app_metadata ??= {};
          for (const [key, value] of Object.entries(meta)) {
            if (value === null) delete user.app_metadata[key];
            else user.app_metadata[key] = value;
          }
        }
        patches.push({ userId: user.user_id, body });
        sendLimited(200, copy(user));
        for (const listener of patchListeners) listener(patches.length);
        return;
      }
    }
    if (method === "POST" && path === "/jobs/users-exports") {
      const fields = body?.fields as Array<{ name: string }> | undefined;
      if (body?.format !== "json" && body?.format !== "csv") {
        return error(res, 400, "format must be json or csv");
      }
      if (!Array.isArray(fields) || !fields.some((f) => f.name === "user_id")) {
        return error(res, 400, "fields must include user_id");
      }
      const job: Job = {
        id: `job_${randomUUID().slice(0, 16)}`,
        status: "pending",
        fields,
        format: body.format as string,
        polls: 0,
        snapshot: [...users.values()].map(copy),
      };
      jobs.set(job.id, job);
      return sendLimited(201, {
        id: job.id,
        type: "users_export",
        status: job.status,
        format: job.format,
        fields,
        created_at: new Date().toISOString(),
      });
    }
    const jobMatch = path.match(/^\/jobs\/([^/]+)$/);
    if (method === "GET" && jobMatch) {
      const job = jobs.get(decodeURIComponent(jobMatch[1] as string));
      if (!job) return error(res, 404, "job not found");
      job.polls += 1;
      job.status = job.polls >= (options.jobPolls ?? 2) ? "completed" : "processing";
      const done = job.status === "completed";
      // Like a pre-signed URL: every job GET gives a fresh signature.
      const sig = randomUUID().slice(0, 8);
      if (done) locationIssued.set(`${job.id}:${sig}`, Date.now());
      return sendLimited(200, {
        id: job.id,
        type: "users_export",
        status: job.status,
        format: job.format,
        ...(done
          ? {
              location: `${origin}/exports/${job.id}.json${(options.gzip ?? true) ? ".gz" : ""}?sig=${sig}`,
            }
          : { percentage_done: 50 }),
      });
    }
    return error(res, 404, `no stand-in for ${method} ${url.pathname}`);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    users,
    requests,
    downloads,
    patches,
    jobs,
    /** Every access token handed out (they must never reach an output). */
    tokens,
    get rateLimited() {
      return rateLimited;
    },
    /** Adds `count` users (every 3rd a Google user, every 2nd with a verified email). */
    seedUsers(
      count: number,
      metadata: (i: number) => Record<string, unknown> | undefined = () => undefined,
    ) {
      const start = users.size;
      for (let i = start; i < start + count; i++) {
        const user_id =
          i % 3 === 2
            ? `google-oauth2|${100000000 + i}`
            : `auth0|${i.toString(16).padStart(24, "0")}`;
        const app_metadata = metadata(i);
        users.set(user_id, {
          user_id,
          email: `user${i}@example.com`,
          email_verified: i % 2 === 0,
          name: `User ${i}`,
          ...(app_metadata ? { app_metadata } : {}),
          created_at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        });
      }
      this.reindex();
    },
    /**
     * Links `secondary` into `primary` as Auth0 does: the secondary's identity joins the
     * primary's `identities` and the secondary user is deleted.
     */
    linkAccounts(primaryId: string, secondaryId: string) {
      const primary = users.get(primaryId);
      const secondary = users.get(secondaryId);
      if (!primary || !secondary) throw new Error("stand-in: both users must exist");
      const identity = (id: string) => {
        const at = id.indexOf("|");
        return { provider: id.slice(0, at), user_id: id.slice(at + 1) };
      };
      primary.identities ??= [identity(primaryId)];
      primary.identities.push(identity(secondaryId));
      users.delete(secondaryId);
      orgs.forgetUser(secondaryId);
    },
    /** Organizations and their members (member listings lag until the next reindex()). */
    orgs,
    /** Search and member listings see users and memberships as they are now. */
    reindex() {
      index = [...users.values()].map(copy);
      orgs.reindex();
    },
    /** The next `requests` Management API calls answer 429. */
    storm(requestCount: number, header: "reset" | "retry-after" = "reset", resetInMs = 300) {
      storm = { left: requestCount, header, resetInMs };
    },
    /** The next `count` authorized calls answer 400 with the access token in the message. */
    echoToken(count = 1) {
      echoes = count;
    },
    onPatch(listener: (count: number) => void) {
      patchListeners.push(listener);
    },
    /** Called as each request arrives, before it is answered. */
    onRequest(listener: (request: StandInRequest) => void) {
      requestListeners.push(listener);
    },
    /** The next `times` requests matching `path` (a prefix, a pattern or a test) get `fault`. */
    fault(
      path: string | RegExp | ((request: StandInRequest) => boolean),
      fault: StandInFault,
      times = 1,
    ) {
      const match = (r: StandInRequest) =>
        typeof path === "string"
          ? r.path.startsWith(path)
          : path instanceof RegExp
            ? path.test(r.path)
            : path(r);
      faults.push({ match, fault, times });
    },
    /** Deletes a user (search keeps showing it until the next reindex()). */
    deleteUser(userId: string) {
      users.delete(userId);
      orgs.forgetUser(userId);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Auth0UsersStandIn = Awaited<ReturnType<typeof startAuth0UsersStandIn>>;
