// A fetch for the client that passes every request on to the real fetch and
// records what went out and any `sl-violations` header Prism sent back.
export interface Recorder {
  fetch: (request: Request) => Promise<Response>;
  /** Every request the client sent (method and path). */
  calls: { method: string; path: string }[];
  /** Every response that carried `sl-violations`: the request broke the spec. */
  violations: { method: string; path: string; violations: string }[];
  reset(): void;
}

export function recordingFetch(): Recorder {
  const recorder: Recorder = {
    calls: [],
    violations: [],
    async fetch(request) {
      const { pathname: path } = new URL(request.url);
      recorder.calls.push({ method: request.method, path });
      const response = await globalThis.fetch(request);
      const violations = response.headers.get("sl-violations");
      if (violations) recorder.violations.push({ method: request.method, path, violations });
      return response;
    },
    reset() {
      recorder.calls.length = 0;
      recorder.violations.length = 0;
    },
  };
  return recorder;
}
