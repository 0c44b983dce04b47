import type { OperationId } from "./spec-types.js";

/** What goes wrong. */
export type FaultKind =
  /** Never answer (the socket stays open until the client gives up or the fake stops). */
  | { kind: "hang" }
  /** Wait `delayMs`, then answer normally. */
  | { kind: "slow"; delayMs: number }
  /** Answer this status (5xx usually) with a Problem Details body. */
  | { kind: "status"; status: number; detail?: string }
  /** Answer 429 with `retry-after: <retryAfter>` seconds (default 1). */
  | { kind: "rate-limit"; retryAfter?: number }
  /** Destroy the socket without an answer. */
  | { kind: "reset" }
  /** Answer 200 application/json with a truncated body. */
  | { kind: "malformed" }
  /**
   * Answer normally, but break the success body against the spec: "missing-id" (default)
   * drops `id` (or the first list item's `id`; `sub` becomes 42 for who-am-i); "wrong-type"
   * sets `name` (or `key`, `email`, `sub`, `id`) to 42. Bodiless answers (204) are left alone.
   */
  | { kind: "nonconforming"; variant?: "missing-id" | "wrong-type" };

export interface FaultScope {
  /** Only requests to this operation. */
  operation?: OperationId;
  /** Only requests with this HTTP method. */
  method?: string;
  /** Only the next N matching requests (default: every matching request until cleared). */
  times?: number;
  /**
   * Run the operation before failing (hang, status, rate-limit, reset, malformed): the
   * change happens but its answer is lost. Default false: the request is refused unprocessed.
   */
  commit?: boolean;
}

export type Fault = FaultKind & FaultScope;

export function checkFault(fault: Fault): void {
  const bad = (msg: string) => new Error(`setFault: ${msg}`);
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1)) {
    throw bad("times must be an integer >= 1");
  }
  if (fault.kind === "slow" && !(fault.delayMs >= 0)) throw bad("delayMs must be >= 0");
  if (
    fault.kind === "status" &&
    (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)
  ) {
    throw bad("status must be an integer 100..599");
  }
  if (
    fault.kind === "rate-limit" &&
    fault.retryAfter !== undefined &&
    !(Number.isInteger(fault.retryAfter) && fault.retryAfter >= 0)
  ) {
    throw bad("retryAfter must be an integer >= 0");
  }
}

export function faultApplies(fault: Fault, method: string, operation?: OperationId): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.operation && fault.operation !== operation) return false;
  return true;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Breaks a success body so that it no longer matches the spec (for drift-probe tests). */
export function breakBody(
  body: unknown,
  variant: "missing-id" | "wrong-type" = "missing-id",
): unknown {
  if (!isObj(body)) return body;
  if (Array.isArray(body.data)) {
    if (body.data.length === 0) return { ...body, data: "not-an-array" };
    const [first, ...rest] = body.data;
    return { ...body, data: [breakBody(first, variant), ...rest] };
  }
  const out = { ...body };
  if (variant === "missing-id" && "id" in out) {
    delete out.id;
    return out;
  }
  const field = ["name", "key", "email", "sub", "id"].find((f) => f in out) ?? "sub";
  out[field] = 42;
  return out;
}
