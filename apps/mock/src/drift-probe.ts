// Runs read-only operations against a real key service through `prism proxy --errors`
// and collects every answer Prism says does not match spec/openapi.yaml.
import { type OperationId, redactSecrets, routes } from "@keysmith/client";
import { startPrism } from "./prism.js";

export interface DriftProbeOptions {
  /** The key service, e.g. https://dev.zuplo.com. */
  upstream: string;
  apiKey: string;
  accountName: string;
  bucketName: string;
  /** Use this running `prism proxy` (in front of `upstream`) instead of starting one. */
  prismUrl?: string;
  /** OpenAPI document (default: the repository's spec). */
  spec?: string;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
}

export interface Violation {
  /** Where, e.g. "response.body.data.0.id". */
  location: string;
  message: string;
  severity: string;
}

export interface ProbeCall {
  operation: string;
  /** Path and query as sent (no credentials, no key values). */
  path: string;
  status?: number;
}

/** An answer that does not match the spec. */
export interface DriftFinding extends ProbeCall {
  status: number;
  violations: Violation[];
}

/** A read that could not be checked (network failure, upstream 401/404, Prism refused the request). */
export interface ProbeError extends ProbeCall {
  message: string;
}

export interface DriftProbeResult {
  findings: DriftFinding[];
  errors: ProbeError[];
  /** Every read made, in order. */
  calls: ProbeCall[];
  /** Operations not run, with why (e.g. the bucket has no consumers). */
  skipped: string[];
}

const PRISM_ERROR = "https://stoplight.io/prism/errors#";

/** An operation's path from the spec's template (the client's generated `routes`), plus query. */
export function pathOf(operation: OperationId, params: Record<string, string>, query = ""): string {
  const path = routes[operation][1].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pathOf(${operation}): ${name} is required`);
    return encodeURIComponent(value);
  });
  return query ? `${path}?${query}` : path;
}

function redactor(apiKey: string): (s: string) => string {
  // Neither the account key nor any key value may reach the report (the client's rule).
  return (s) => redactSecrets(s, [apiKey]);
}

function toViolations(list: unknown): Violation[] {
  if (!Array.isArray(list)) return [];
  return list.map((v: { location?: unknown; message?: unknown; severity?: unknown }) => ({
    location: Array.isArray(v.location) ? v.location.join(".") : String(v.location ?? ""),
    message: String(v.message ?? ""),
    severity: String(v.severity ?? "Error"),
  }));
}

function parseHeader(value: string): Violation[] {
  try {
    return toViolations(JSON.parse(value));
  } catch {
    // Prism truncates long lists ("Too many violations! [...").
    return [{ location: "response", message: value, severity: "Error" }];
  }
}

export async function runDriftProbe(options: DriftProbeOptions): Promise<DriftProbeResult> {
  const { upstream, apiKey, accountName, bucketName, timeoutMs = 15_000 } = options;
  for (const [name, value] of Object.entries({ upstream, apiKey, accountName, bucketName })) {
    if (!value) throw new Error(`runDriftProbe: ${name} is required`);
  }
  const redact = redactor(apiKey);
  const result: DriftProbeResult = { findings: [], errors: [], calls: [], skipped: [] };
  const prism = options.prismUrl
    ? undefined
    : await startPrism({ mode: "proxy", upstream, errors: true, spec: options.spec });
  const base = (options.prismUrl ?? prism?.url ?? "").replace(/\/$/, "");
  const headers = { authorization: `Bearer ${apiKey}`, accept: "application/json" };

  // biome-ignore lint/suspicious/noExplicitAny: bodies are only used to find the next ids
  async function read(operation: OperationId, path: string): Promise<any> {
    if (routes[operation][0] !== "GET") throw new Error(`the probe only reads: ${operation}`);
    const call: ProbeCall = { operation, path: redact(path) };
    result.calls.push(call);
    let res: Response;
    let text: string;
    try {
      res = await fetch(base + path, { headers, signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (err) {
      const why = err instanceof Error ? `${err.name}: ${err.message}` : "request failed";
      result.errors.push({ ...call, message: redact(why) });
      return undefined;
    }
    call.status = res.status;
    let body: { type?: string; title?: string; detail?: string; validation?: unknown } | undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const header = res.headers.get("sl-violations");
    if (body?.type === `${PRISM_ERROR}VIOLATIONS`) {
      const violations = toViolations(body.validation);
      result.findings.push({ ...call, status: res.status, violations: redactAll(violations) });
      return undefined;
    }
    if (header) {
      result.findings.push({
        ...call,
        status: res.status,
        violations: redactAll(parseHeader(header)),
      });
    }
    if (typeof body?.type === "string" && body.type.startsWith(PRISM_ERROR)) {
      const why = `Prism: ${body.title ?? body.type}${body.detail ? `: ${body.detail}` : ""}`;
      result.errors.push({ ...call, message: redact(why) });
      return undefined;
    }
    if (res.status >= 300) {
      const why = `upstream answered ${res.status}${body?.detail ? `: ${body.detail}` : ""}`;
      result.errors.push({ ...call, message: redact(why) });
      return undefined;
    }
    return body;
  }
  function redactAll(vs: Violation[]): Violation[] {
    return vs.map((v) => ({ ...v, location: redact(v.location), message: redact(v.message) }));
  }

  try {
    const at = { accountName, bucketName };
    await read("whoAmI", pathOf("whoAmI", at));
    await read("listBuckets", pathOf("listBuckets", at));
    await read("getBucket", pathOf("getBucket", at));
    const consumers = (query: string) => pathOf("listConsumers", at, `limit=10${query}`);
    const list = await read("listConsumers", consumers(""));
    for (const format of ["none", "visible", "masked"]) {
      await read("listConsumers", consumers(`&include-api-keys=true&key-format=${format}`));
    }
    await read("listConsumers", consumers("&include-managers=true"));
    await read("listConsumers", consumers("&include-manager-invites=true"));

    let first: string | undefined = list?.data?.[0]?.name;
    if (list === undefined) {
      // The proxied list was rejected: find a consumer directly so the rest still runs.
      try {
        const direct = `${upstream.replace(/\/$/, "")}${pathOf("listConsumers", at, "limit=1")}`;
        const res = await fetch(direct, { headers, signal: AbortSignal.timeout(timeoutMs) });
        const body = (await res.json()) as { data?: { name?: unknown }[] };
        const name = body.data?.[0]?.name;
        if (typeof name === "string") first = name;
      } catch {
        // nothing to go on
      }
    }
    if (!first) {
      const why =
        list === undefined ? "consumers could not be listed" : "the bucket has no consumer";
      result.skipped.push(`getConsumer, listKeys, getKey, listManagers: ${why}`);
      return result;
    }
    const one = { ...at, consumerName: first };
    await read(
      "getConsumer",
      pathOf(
        "getConsumer",
        one,
        "include-api-keys=true&include-managers=true&include-manager-invites=true&key-format=masked",
      ),
    );
    const keys = await read("listKeys", pathOf("listKeys", one, "limit=10&key-format=masked"));
    const keyId: unknown = keys?.data?.[0]?.id;
    if (typeof keyId === "string") {
      await read("getKey", pathOf("getKey", { ...one, keyId }, "key-format=masked"));
    } else {
      result.skipped.push("getKey: the first consumer has no key");
    }
    await read("listManagers", pathOf("listManagers", one, "limit=10"));
    return result;
  } finally {
    await prism?.stop();
  }
}

/** A readable report; never contains the API key or key values. */
export function formatDriftReport(result: DriftProbeResult, upstream: string): string {
  const lines = [
    `Drift probe: ${result.calls.length} reads through prism proxy --errors → ${upstream}`,
  ];
  for (const c of result.calls) {
    const finding = result.findings.find((f) => f.path === c.path && f.operation === c.operation);
    const error = result.errors.find((e) => e.path === c.path && e.operation === c.operation);
    const tag = finding ? "DRIFT" : error ? "ERROR" : "ok";
    lines.push(
      `  ${tag.padEnd(5)} ${String(c.status ?? "---")} ${c.operation.padEnd(14)} GET ${c.path}`,
    );
    for (const v of finding?.violations ?? [])
      lines.push(`          - ${v.location}: ${v.message}`);
    if (error) lines.push(`          - ${error.message}`);
  }
  for (const s of result.skipped) lines.push(`  skipped ${s}`);
  if (result.findings.length > 0) {
    lines.push(`${result.findings.length} answer(s) do not match spec/openapi.yaml.`);
  } else if (result.errors.length > 0) {
    lines.push(`No drift seen, but ${result.errors.length} read(s) could not be checked.`);
  } else {
    lines.push("No drift: every answer matches spec/openapi.yaml.");
  }
  return lines.join("\n");
}

/** 1 when anything drifted, 2 when nothing drifted but some reads could not be checked, else 0. */
export function driftExitCode(result: DriftProbeResult): number {
  if (result.findings.length > 0) return 1;
  return result.errors.length > 0 ? 2 : 0;
}
