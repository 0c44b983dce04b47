// Reads a response body with a byte cap, so a hostile or broken server cannot
// make the client buffer hundreds of megabytes.

/** Default `maxResponseBytes`: far above any real answer (1 000 consumers with keys and 1 KB metadata each is about 2 MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Error bodies are read up to this many bytes at most: a Problem is a few hundred. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The body as text, at most `cap` bytes of it: `complete` is false when there
 * was more, and then the rest is not read (the stream is cancelled).
 */
export function readCapped(response: Response, cap: number): Promise<Body> {
  const { headers } = response;
  const declared = Number(headers.get("content-length") ?? Number.NaN);
  // fetch (undici, WHATWG) never reads past a declared length, but that is the
  // length on the wire: with a content-encoding (gzip) the decoded body can be
  // far longer. So only an unencoded body that fits is read at once (the common
  // path, no async frame); a custom fetch is trusted to keep to the same rule.
  if (declared <= cap && !headers.has("content-encoding")) return response.text().then(whole);
  return readStream(response, cap);
}

interface Body {
  text: string;
  /** False when the body was longer than the cap (the rest was not read). */
  complete: boolean;
}

const whole = (text: string): Body => ({ text, complete: true });

async function readStream(response: Response, cap: number): Promise<Body> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = true;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > cap) {
      chunks.push(value.subarray(0, cap - size));
      size = cap;
      complete = false;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), complete };
}
