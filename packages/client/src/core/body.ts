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
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  // A declared length is enforced by fetch itself: read it at once when it fits
  // (no async frame of our own on this, the common path).
  if (declared <= cap) return response.text().then(whole);
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
