// Owns the action's cap on response size: a hostile or broken key service cannot make a
// login buffer and parse megabytes (the client has no cap of its own yet).

/** The action's answers are a consumer or a page of managers: a few kB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The code carried by the error a body over the cap fails with. */
export const RESPONSE_TOO_LARGE = "KEYSMITH_RESPONSE_TOO_LARGE";

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * `fetch` whose response bodies fail past `maxBytes`: reading stops (and the connection is
 * cancelled) at the first chunk over the cap, so the time budget is never spent on a body.
 */
export function cappedFetch(
  maxBytes: number = MAX_RESPONSE_BYTES,
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  // Both call shapes (`fetch(request)` and `fetch(url, init)`): the client may use either.
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body || NULL_BODY.has(response.status)) return response;
    let seen = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) {
            controller.error(
              Object.assign(new Error(`response over ${maxBytes} bytes`), {
                code: RESPONSE_TOO_LARGE,
              }),
            );
          } else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
