import { STATUS_CODES } from "node:http";
import { requestId } from "./ids.js";
import type { Problem } from "./spec-types.js";

/** Thrown by handlers; the server turns it into an application/problem+json answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "HttpError";
  }
}

export function problemBody(status: number, detail: string | undefined, instance: string): Problem {
  const body: Problem = {
    type: `https://httpproblems.com/http-status/${status}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    instance,
    trace: { requestId: requestId(), timestamp: new Date().toISOString() },
  };
  if (detail !== undefined) body.detail = detail;
  return body;
}

export const badRequest = (detail: string) => new HttpError(400, detail);
export const notFound = (detail: string) => new HttpError(404, detail);
