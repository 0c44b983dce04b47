// A fetch for the client that passes every request on to the real fetch and
// records what went out (the wire form: method, path, query, body, content
// type) and any `sl-violations` header Prism sent back. It takes both call
// shapes: `fetch(url, init)` (the client's own calls) and `fetch(request)`
// (`raw`, through openapi-fetch).
export interface Sent {
  method: string;
  path: string;
  /** The raw query string, still encoded ("" when none). */
  search: string;
  contentType: string | null;
  body: string;
}

export interface Recorder {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Every request the client sent (method and path). */
  calls: { method: string; path: string }[];
  /** The same requests in full. */
  sent: Sent[];
  /** Every response that carried `sl-violations`: the request broke the spec. */
  violations: { method: string; path: string; violations: string }[];
  reset(): void;
}

export function recordingFetch(): Recorder {
  const recorder: Recorder = {
    calls: [],
    sent: [],
    violations: [],
    async fetch(input, init) {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const { method } = request;
      const path = url.pathname;
      recorder.calls.push({ method, path });
      recorder.sent.push({
        method,
        path,
        search: url.search,
        contentType: request.headers.get("content-type"),
        body: await request.clone().text(),
      });
      const response = await globalThis.fetch(request);
      const violations = response.headers.get("sl-violations");
      if (violations) recorder.violations.push({ method, path, violations });
      return response;
    },
    reset() {
      recorder.calls.length = 0;
      recorder.sent.length = 0;
      recorder.violations.length = 0;
    },
  };
  return recorder;
}
