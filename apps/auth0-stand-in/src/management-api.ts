import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

export interface StoredAction {
  id: string;
  name: string;
  code: string;
  runtime: string;
  supported_triggers: unknown[];
  secrets: Array<{ name: string; updated_at: string }>;
  /** Values Auth0 would keep but never return. */
  secretValues: Record<string, string>;
  status: string;
  /** GETs that still report the previous build's `built` after an update (Auth0 lags). */
  staleBuiltGets: number;
  getsUntilBuilt: number;
  versions: number;
  updated_at: string;
  built_at: string | undefined;
  deployed_version: { id: string; number: number; deployed: true } | undefined;
  /** A 202-accepted deploy that becomes the deployed version after a few GETs. */
  pendingDeploy: { id: string; number: number; getsLeft: number } | undefined;
}

export interface StoredStream {
  id: string;
  name: string;
  subscriptions: Array<{ event_type: string }>;
  destination: { type: string; configuration: Record<string, unknown> };
  status: string;
  created_at: string;
  updated_at: string;
}

/** Auth0's paging maximum for most list endpoints on public cloud. */
export const MAX_PER_PAGE = 50;
/** How Auth0 refuses to deploy an action whose build has not finished. */
export const NOT_BUILT_MESSAGE = "The action must be in the 'built' state to be deployed";
/** The event types Auth0 accepts in a subscription (user and organization events). */
const STREAM_EVENT_TYPES = new Set([
  "user.created",
  "user.updated",
  "user.deleted",
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "organization.member.added",
  "organization.member.deleted",
  "organization.member.role.assigned",
  "organization.member.role.deleted",
]);

export interface StoredBinding {
  id: string;
  display_name: string;
  action: { id: string; name: string };
}

/**
 * A local stand-in for the Auth0 Management API endpoints the deploy calls:
 * client-credentials token, actions list/create/get/update/deploy, post-login bindings
 * get/patch, event-streams list/create/get/patch/delete. Behaves like Auth0 where the deploy
 * relies on it: builds take a few polls, and right after an update a GET still reports the
 * previous build's `built` (with the old `built_at`); a deploy before the build is done is
 * refused with "must be in the 'built' state"; deploy answers 202 and the new version shows
 * as `deployed_version` only a few GETs later; `per_page` (and `take`) above 50 is a 400;
 * secret values are never returned; the bindings PATCH replaces the whole list.
 */
export async function startManagementStandIn(options: {
  clientId: string;
  clientSecret: string;
  /** GETs an update keeps reporting the old `built` (default 1; 0 = no lag). */
  staleBuiltGets?: number;
  /** GETs before a 202-accepted deploy becomes the deployed version (default 2). */
  deployLagGets?: number;
  /** Refuse this many deploys with "must be in the 'built' state" even when built (default 0). */
  refuseFirstDeploys?: number;
}) {
  const requests: RecordedRequest[] = [];
  const actions = new Map<string, StoredAction>();
  const streams = new Map<string, StoredStream>();
  let bindings: StoredBinding[] = [];
  const staleBuiltGets = options.staleBuiltGets ?? 1;
  const deployLagGets = options.deployLagGets ?? 2;
  let refuseDeploys = options.refuseFirstDeploys ?? 0;
  /** Actions bound (bindings PATCH) while their newest version was not deployed yet. */
  const bindingRaces: string[] = [];
  const token = `mgmt-token-${randomUUID()}`;
  let echoes = 0;
  let echoText = "Bad request";

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const view = (a: StoredAction) => ({
    id: a.id,
    name: a.name,
    code: a.code,
    runtime: a.runtime,
    supported_triggers: a.supported_triggers,
    secrets: a.secrets,
    status: a.status,
    updated_at: a.updated_at,
    ...(a.built_at ? { built_at: a.built_at } : {}),
    ...(a.deployed_version ? { deployed_version: a.deployed_version } : {}),
    all_changes_deployed:
      a.pendingDeploy === undefined && a.deployed_version?.number === a.versions,
  });
  const perPage = (url: URL, res: ServerResponse): number | undefined => {
    const value = Number(url.searchParams.get("per_page") ?? MAX_PER_PAGE);
    if (!Number.isInteger(value) || value < 1 || value > MAX_PER_PAGE) {
      send(res, 400, {
        statusCode: 400,
        error: "Bad Request",
        message: `Query validation error: 'per_page' must be at most ${MAX_PER_PAGE}`,
      });
      return undefined;
    }
    return value;
  };
  const streamView = (s: StoredStream) => structuredClone(s);

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stand-in");
    const type = req.headers["content-type"] ?? "";
    const body = raw
      ? type.includes("json")
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw))
      : undefined;
    const method = req.method ?? "GET";
    requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      body,
      authorization: req.headers.authorization,
    });

    if (method === "POST" && url.pathname === "/oauth/token") {
      const ok =
        body?.grant_type === "client_credentials" &&
        body?.client_id === options.clientId &&
        body?.client_secret === options.clientSecret;
      if (!ok) return send(res, 401, { error: "access_denied", error_description: "Unauthorized" });
      return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: 86400 });
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { statusCode: 401, error: "Unauthorized", message: "Invalid token" });
    }
    if (echoes > 0) {
      echoes -= 1;
      // A hostile or buggy server: the caller's bearer token quoted back in the error.
      const message = `${echoText} (authorization: Bearer ${token})`;
      return send(res, 400, { statusCode: 400, error: "Bad Request", message });
    }

    const path = url.pathname.replace(/^\/api\/v2/, "");
    const match = path.match(/^\/actions\/actions\/([^/]+)(\/deploy)?$/);
    if (method === "GET" && path === "/actions/actions") {
      const name = url.searchParams.get("actionName");
      const page = Number(url.searchParams.get("page") ?? 0);
      const size = perPage(url, res);
      if (size === undefined) return;
      const all = [...actions.values()].filter((a) => !name || a.name === name).map(view);
      const slice = all.slice(page * size, page * size + size);
      return send(res, 200, { actions: slice, total: all.length, page, per_page: size });
    }
    if (method === "POST" && path === "/actions/actions") {
      if ([...actions.values()].some((a) => a.name === body.name)) {
        return send(res, 409, {
          statusCode: 409,
          message: "An action with this name already exists",
        });
      }
      const action: StoredAction = {
        id: randomUUID(),
        name: body.name,
        code: body.code,
        runtime: body.runtime,
        supported_triggers: body.supported_triggers,
        secrets: (body.secrets ?? []).map((s: { name: string }) => ({
          name: s.name,
          updated_at: new Date().toISOString(),
        })),
        secretValues: Object.fromEntries(
          (body.secrets ?? []).map((s: { name: string; value: string }) => [s.name, s.value]),
        ),
        status: "pending",
        staleBuiltGets: 0,
        getsUntilBuilt: 2,
        versions: 0,
        updated_at: new Date().toISOString(),
        built_at: undefined,
        deployed_version: undefined,
        pendingDeploy: undefined,
      };
      actions.set(action.id, action);
      return send(res, 201, view(action));
    }
    if (match) {
      const action = actions.get(decodeURIComponent(match[1] as string));
      if (!action) return send(res, 404, { statusCode: 404, message: "action not found" });
      if (method === "GET" && !match[2]) {
        if (action.staleBuiltGets > 0) {
          // Auth0 answers from before the update for a moment: still "built", old built_at.
          action.staleBuiltGets -= 1;
          const stale = view(action);
          return send(res, 200, { ...stale, status: "built" });
        }
        if (action.status !== "built" && --action.getsUntilBuilt <= 0) {
          action.status = "built";
          action.built_at = new Date().toISOString();
        }
        const deploy = action.pendingDeploy;
        if (deploy && --deploy.getsLeft <= 0) {
          action.deployed_version = { id: deploy.id, number: deploy.number, deployed: true };
          action.pendingDeploy = undefined;
        }
        return send(res, 200, view(action));
      }
      if (method === "PATCH" && !match[2]) {
        Object.assign(action, {
          code: body.code ?? action.code,
          runtime: body.runtime ?? action.runtime,
          supported_triggers: body.supported_triggers ?? action.supported_triggers,
          status: "pending",
          staleBuiltGets: action.status === "built" ? staleBuiltGets : 0,
          getsUntilBuilt: 2,
          // Auth0 stamps updated_at; the new build's built_at comes later.
          updated_at: new Date(
            Math.max(Date.now(), Date.parse(action.updated_at) + 1),
          ).toISOString(),
        });
        if (body.secrets) {
          action.secrets = body.secrets.map((s: { name: string }) => ({
            name: s.name,
            updated_at: new Date().toISOString(),
          }));
          action.secretValues = Object.fromEntries(
            body.secrets.map((s: { name: string; value: string }) => [s.name, s.value]),
          );
        }
        return send(res, 200, view(action));
      }
      if (method === "POST" && match[2]) {
        if (action.status !== "built" || action.staleBuiltGets > 0 || refuseDeploys-- > 0) {
          return send(res, 400, {
            statusCode: 400,
            error: "Bad Request",
            message: NOT_BUILT_MESSAGE,
          });
        }
        action.versions += 1;
        // 202: the version is deployed asynchronously; GETs show it once done.
        const version = { id: randomUUID(), number: action.versions, getsLeft: deployLagGets };
        action.pendingDeploy = version;
        if (deployLagGets <= 0) {
          action.deployed_version = { id: version.id, number: version.number, deployed: true };
          action.pendingDeploy = undefined;
        }
        return send(res, 202, {
          id: version.id,
          action_id: action.id,
          number: version.number,
          deployed: false,
          status: "built",
        });
      }
    }
    if (path === "/event-streams" || path.startsWith("/event-streams/")) {
      return eventStreams(method, path, url, body, res);
    }
    if (path === "/actions/triggers/post-login/bindings") {
      if (method === "GET") {
        const page = Number(url.searchParams.get("page") ?? 0);
        const size = perPage(url, res);
        if (size === undefined) return;
        return send(res, 200, {
          bindings: bindings.slice(page * size, page * size + size),
          total: bindings.length,
          page,
          per_page: size,
        });
      }
      if (method === "PATCH") {
        const next: StoredBinding[] = [];
        for (const b of body.bindings ?? []) {
          const ref = b.ref ?? {};
          const target =
            ref.type === "action_id"
              ? (actions.get(ref.value) ?? bindings.find((x) => x.action.id === ref.value)?.action)
              : ([...actions.values()].find((a) => a.name === ref.value) ??
                bindings.find((x) => x.action.name === ref.value)?.action);
          if (!target)
            return send(res, 400, { statusCode: 400, message: `unknown action ${ref.value}` });
          const own = actions.get(target.id);
          if (own && (own.pendingDeploy || own.deployed_version?.number !== own.versions)) {
            bindingRaces.push(own.name);
          }
          next.push({
            id: randomUUID(),
            display_name: b.display_name ?? target.name,
            action: { id: target.id, name: target.name },
          });
        }
        bindings = next;
        return send(res, 200, { bindings });
      }
    }
    return send(res, 404, {
      statusCode: 404,
      message: `no stand-in for ${method} ${url.pathname}`,
    });
  });

  /** Checks a stream body as Auth0 does; returns the problem or undefined. */
  function streamProblem(body: Record<string, unknown>, creating: boolean): string | undefined {
    if (
      body.name !== undefined &&
      (typeof body.name !== "string" || body.name.length < 1 || body.name.length > 128)
    ) {
      return "name: must be 1-128 characters";
    }
    const subs = body.subscriptions;
    if (subs !== undefined) {
      if (!Array.isArray(subs) || subs.length < 1) return "subscriptions: at least one";
      for (const s of subs) {
        if (!STREAM_EVENT_TYPES.has((s as { event_type?: string })?.event_type ?? "")) {
          return `subscriptions: unknown event type ${JSON.stringify((s as { event_type?: string })?.event_type)}`;
        }
      }
    }
    const dest = body.destination as StoredStream["destination"] | undefined;
    if (creating && !dest) return "destination: required";
    if (dest !== undefined) {
      if (dest.type === "action") {
        const id = dest.configuration?.action_id;
        if (typeof id !== "string" || !actions.has(id))
          return "destination.configuration.action_id: unknown action";
      } else if (dest.type === "webhook") {
        if (typeof dest.configuration?.webhook_endpoint !== "string")
          return "destination.configuration.webhook_endpoint: required";
      } else return `destination.type: unsupported ${JSON.stringify(dest.type)}`;
    }
    if (body.status !== undefined && body.status !== "enabled" && body.status !== "disabled") {
      return "status: enabled or disabled";
    }
    return undefined;
  }

  /** `/event-streams`: list (`from`/`take`, at most 50), create, get, patch, delete. */
  function eventStreams(
    method: string,
    path: string,
    url: URL,
    body: Record<string, unknown>,
    res: ServerResponse,
  ) {
    const id = path.split("/")[2];
    if (method === "GET" && !id) {
      const take = Number(url.searchParams.get("take") ?? MAX_PER_PAGE);
      if (!Number.isInteger(take) || take < 1 || take > MAX_PER_PAGE) {
        return send(res, 400, { statusCode: 400, message: `take: must be 1-${MAX_PER_PAGE}` });
      }
      const all = [...streams.values()];
      const from = url.searchParams.get("from");
      const start = from ? all.findIndex((s) => s.id === from) : 0;
      const page = all.slice(Math.max(0, start), Math.max(0, start) + take);
      const next = all[Math.max(0, start) + take]?.id;
      return send(res, 200, { eventStreams: page.map(streamView), ...(next ? { next } : {}) });
    }
    if (method === "POST" && !id) {
      const problem = streamProblem(body ?? {}, true);
      if (problem)
        return send(res, 400, { statusCode: 400, error: "Bad Request", message: problem });
      const at = new Date().toISOString();
      const stream: StoredStream = {
        id: `est_${randomUUID().replace(/-/g, "").slice(0, 22)}`,
        name: (body.name as string) ?? "event-stream",
        subscriptions: (body.subscriptions as StoredStream["subscriptions"]) ?? [],
        destination: body.destination as StoredStream["destination"],
        status: (body.status as string) ?? "enabled",
        created_at: at,
        updated_at: at,
      };
      streams.set(stream.id, stream);
      return send(res, 201, streamView(stream));
    }
    const stream = id ? streams.get(id) : undefined;
    if (!stream) return send(res, 404, { statusCode: 404, message: "event stream not found" });
    if (method === "GET") return send(res, 200, streamView(stream));
    if (method === "DELETE") {
      streams.delete(stream.id);
      return send(res, 204);
    }
    if (method === "PATCH") {
      const problem = streamProblem(body ?? {}, false);
      if (problem)
        return send(res, 400, { statusCode: 400, error: "Bad Request", message: problem });
      for (const key of ["name", "subscriptions", "destination", "status"] as const) {
        if (body[key] !== undefined)
          (stream as unknown as Record<string, unknown>)[key] = structuredClone(body[key]);
      }
      stream.updated_at = new Date().toISOString();
      return send(res, 200, streamView(stream));
    }
    return send(res, 404, {
      statusCode: 404,
      message: `no stand-in for ${method} ${url.pathname}`,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    requests,
    actions,
    streams,
    bindingRaces,
    /** Adds another team's stream (a webhook), which a deploy must leave alone. */
    seedStream(name: string, endpoint = "https://example.com/hook") {
      const at = new Date().toISOString();
      const stream: StoredStream = {
        id: `est_${randomUUID().replace(/-/g, "").slice(0, 22)}`,
        name,
        subscriptions: [{ event_type: "user.created" }],
        destination: {
          type: "webhook",
          configuration: {
            webhook_endpoint: endpoint,
            webhook_authorization: { method: "bearer" },
          },
        },
        status: "enabled",
        created_at: at,
        updated_at: at,
      };
      streams.set(stream.id, stream);
      return stream.id;
    },
    /** The access token the stand-in hands out (it must never reach an output). */
    token,
    /**
     * The next `count` authorized calls answer 400 with `text` and the access token in the
     * message, as a hostile or buggy server might.
     */
    echoToken(count = 1, text = "Bad request") {
      echoes = count;
      echoText = text;
    },
    get bindings() {
      return bindings;
    },
    /** Seeds bindings that other (foreign) actions already hold. */
    seedBinding(name: string) {
      const id = randomUUID();
      bindings.push({ id: randomUUID(), display_name: name, action: { id, name } });
      return id;
    },
    /** A fetch that sends the SDK's `https://<domain>` requests to this server instead. */
    fetchFor(domain: string): typeof fetch {
      const prefix = `https://${domain}`;
      return (input, init) => {
        const url =
          typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        if (!url.startsWith(prefix)) throw new Error(`unexpected host in ${url}`);
        return fetch(origin + url.slice(prefix.length), init);
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
