// Every operation through the client against Prism: the documented success
// gives a typed result, and every documented error status (picked with
// `Prefer: code=<status>`) becomes the matching error class, filled from the
// Problem Details example of the spec.

import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "@keysmith/client";
import { describe, expect } from "vitest";
import { type Contract, contracts } from "./contracts.js";
import { contractTest } from "./fixtures.js";
import { usePrism } from "./prism.js";
import { pathMatcher, specOperations } from "./spec.js";

const ERROR_CLASSES: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
  500: InternalServerError,
};

const prism = usePrism();
// Every test has its own client and recorder (see fixtures.ts), so they run concurrently.
const test = contractTest(prism.url);

function contractOf(operationId: string): Contract {
  const contract = (contracts as Record<string, Contract>)[operationId];
  if (!contract) {
    throw new Error(
      `no contract for ${operationId}: add one to apps/mock/test/contract/contracts.ts`,
    );
  }
  return contract;
}

describe.concurrent.each(specOperations())("$operationId", (op) => {
  test(`${op.method} ${op.path} → ${op.success}`, async ({ client, recorder }) => {
    const contract = contractOf(op.operationId);
    const result = await contract.call(client);
    contract.check(result as never);
    if (op.success === 204) expect(result).toBeUndefined();
    // The client sent the method and path the spec gives this operationId.
    expect(recorder.calls).toHaveLength(1);
    expect(recorder.calls[0]?.method).toBe(op.method);
    expect(recorder.calls[0]?.path).toMatch(pathMatcher(op.path));
  });

  test.for(op.errors.map((e) => [e.status, e] as const))(
    "Prefer: code=%i",
    async ([status, e], { client, recorder }) => {
      const ErrorClass = ERROR_CLASSES[status];
      if (!ErrorClass) throw new Error(`no error class expected for status ${status}: add one`);
      const contract = contractOf(op.operationId);
      const headers = { Prefer: `code=${status}` };
      const error = await contract.call(client, { headers, maxRetries: 0 }).then(
        () => expect.fail(`${op.operationId} resolved despite Prefer: code=${status}`),
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ErrorClass);
      expect(recorder.calls).toHaveLength(1);

      const err = error as APIError;
      const example = e.example as Record<string, unknown> & { trace?: { requestId?: string } };
      expect(example, `spec gives no Problem example for ${status}`).toBeDefined();
      expect(err.body).toEqual(example);
      expect(err.status).toBe(status);
      expect(err.status).toBe(example.status);
      expect(err.type).toBe(example.type);
      expect(err.title).toBe(example.title);
      if ("detail" in example) expect(err.detail).toBe(example.detail);
      if ("instance" in example) expect(err.instance).toBe(example.instance);
      if (example.trace?.requestId) expect(err.requestId).toBe(example.trace.requestId);
      if (status === 429) {
        const retryAfter = e.headers["retry-after"];
        expect(retryAfter, "spec gives a retry-after example").toBeDefined();
        expect(err.headers["retry-after"]).toBe(String(retryAfter));
        expect((err as RateLimitError).retryAfterMs).toBe(Number(retryAfter) * 1000);
      }
    },
  );
});
