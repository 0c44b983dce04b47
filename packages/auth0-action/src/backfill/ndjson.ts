import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** The first bytes of every gzip stream. */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Parses newline-delimited JSON from a response body, gzip-compressed or not (Auth0's
 * export files are `.json.gz`, but a proxy may have decoded them already): the first
 * bytes decide, not the headers. Streams, so a large tenant's export is never held whole.
 */
export async function* readNdjson(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<unknown> {
  const raw =
    body instanceof ReadableStream
      ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>)
      : body;
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  // Both magic bytes decide, and a first chunk may hold only one of them.
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  if (head.length === 0) return;
  const all = (async function* () {
    yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield Buffer.from(next.value);
    }
  })();
  let bytes: AsyncIterable<Buffer> = all;
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    const gunzip = createGunzip();
    // pipeline destroys the gunzip stream with any source error, so iterating it throws.
    pipeline(Readable.from(all), gunzip, () => {});
    bytes = gunzip;
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  let lineNumber = 0;
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`export file: line ${lineNumber} is not JSON`);
    }
  };
  for await (const chunk of bytes) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      lineNumber++;
      if (line.trim() !== "") yield parse(line);
    }
  }
  rest += decoder.decode();
  lineNumber++;
  if (rest.trim() !== "") yield parse(rest);
}
