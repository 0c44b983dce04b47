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

interface StoredAction {
  id: string;
  name: string;
  code: string;
  runtime: string;
  supported_triggers: unknown[];
  secrets: Array<{ name: string; updated_at: string }>;
  /** Values Auth0 would keep but never return. */
  secretValues: Record<string, string>;
  status: string;
  getsUntilBuilt: number;
  versions: number;
}

interface StoredBinding {
  id: string;
  display_name: string;
  action: { id: string; name: string };
}

/**
 * A local stand-in for the handful of Auth0 Management API endpoints the deploy calls:
 * client-credentials token, actions list/create/get/update/deploy, post-login bindings
 * get/patch. Behaves like Auth0 where the deploy relies on it: builds take a few polls,
 * secret values are never returned, the bindings PATCH replaces the whole list.
 */
export async function startManagementStandIn(options: { clientId: string; clientSecret: string }) {
  const requests: RecordedRequest[] = [];
  const actions = new Map<string, StoredAction>();
  let bindings: StoredBinding[] = [];
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
    all_changes_deployed: false,
  });

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
      const perPage = Number(url.searchParams.get("per_page") ?? 50);
      const all = [...actions.values()].filter((a) => !name || a.name === name).map(view);
      const slice = all.slice(page * perPage, page * perPage + perPage);
      return send(res, 200, { actions: slice, total: all.length, page, per_page: perPage });
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
        getsUntilBuilt: 2,
        versions: 0,
      };
      actions.set(action.id, action);
      return send(res, 201, view(action));
    }
    if (match) {
      const action = actions.get(decodeURIComponent(match[1] as string));
      if (!action) return send(res, 404, { statusCode: 404, message: "action not found" });
      if (method === "GET" && !match[2]) {
        if (action.status !== "built" && --action.getsUntilBuilt <= 0) action.status = "built";
        return send(res, 200, view(action));
      }
      if (method === "PATCH" && !match[2]) {
        Object.assign(action, {
          code: body.code ?? action.code,
          runtime: body.runtime ?? action.runtime,
          supported_triggers: body.supported_triggers ?? action.supported_triggers,
          status: "pending",
          getsUntilBuilt: 2,
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
        if (action.status !== "built") {
          return send(res, 400, { statusCode: 400, message: "action is not built" });
        }
        action.versions += 1;
        return send(res, 200, {
          id: randomUUID(),
          action_id: action.id,
          number: action.versions,
          deployed: true,
          status: "built",
        });
      }
    }
    if (path === "/actions/triggers/post-login/bindings") {
      if (method === "GET") {
        const page = Number(url.searchParams.get("page") ?? 0);
        const perPage = Number(url.searchParams.get("per_page") ?? 50);
        return send(res, 200, {
          bindings: bindings.slice(page * perPage, page * perPage + perPage),
          total: bindings.length,
          page,
          per_page: perPage,
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

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    requests,
    actions,
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
