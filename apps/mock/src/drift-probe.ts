// Runs read-only operations against a real key service through `prism proxy --errors`
// and collects every answer Prism says does not match spec/openapi.yaml.
import { redactSecrets } from "@keysmith/client";
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
  async function read(operation: string, path: string): Promise<any> {
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
    const acc = `/v1/accounts/${encodeURIComponent(accountName)}/key-buckets`;
    const bucket = `${acc}/${encodeURIComponent(bucketName)}`;
    await read("whoAmI", "/v1/who-am-i");
    await read("listBuckets", acc);
    await read("getBucket", bucket);
    const list = await read("listConsumers", `${bucket}/consumers?limit=10`);
    for (const format of ["none", "visible", "masked"]) {
      await read(
        "listConsumers",
        `${bucket}/consumers?limit=10&include-api-keys=true&key-format=${format}`,
      );
    }
    await read("listConsumers", `${bucket}/consumers?limit=10&include-managers=true`);
    await read("listConsumers", `${bucket}/consumers?limit=10&include-manager-invites=true`);

    let first: string | undefined = list?.data?.[0]?.name;
    if (list === undefined) {
      // The proxied list was rejected: find a consumer directly so the rest still runs.
      try {
        const res = await fetch(`${upstream.replace(/\/$/, "")}${bucket}/consumers?limit=1`, {
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const direct = (await res.json()) as { data?: { name?: unknown }[] };
        const name = direct.data?.[0]?.name;
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
    const consumer = `${bucket}/consumers/${encodeURIComponent(first)}`;
    await read(
      "getConsumer",
      `${consumer}?include-api-keys=true&include-managers=true&include-manager-invites=true&key-format=masked`,
    );
    const keys = await read("listKeys", `${consumer}/keys?limit=10&key-format=masked`);
    const keyId: unknown = keys?.data?.[0]?.id;
    if (typeof keyId === "string") {
      await read("getKey", `${consumer}/keys/${encodeURIComponent(keyId)}?key-format=masked`);
    } else {
      result.skipped.push("getKey: the first consumer has no key");
    }
    await read("listManagers", `${consumer}/managers?limit=10`);
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
