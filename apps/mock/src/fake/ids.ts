import { randomBytes, randomUUID } from "node:crypto";

const ALPHABET = Buffer.from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
const scratch = Buffer.alloc(64);
// One randomBytes call per 64 KiB instead of one per id: seeding 100k consumers stays fast.
let pool = Buffer.alloc(0);
let pos = 0;
function take(n: number): Buffer {
  if (pos + n > pool.length) {
    pool = randomBytes(65_536);
    pos = 0;
  }
  const out = pool.subarray(pos, pos + n);
  pos += n;
  return out;
}

/** `prefix` + `length` base62 characters, like Zuplo's `csmr_brw0leTAVw478VFKD4F6OqVI`. */
export function randomId(prefix: string, length = 24): string {
  if (length > scratch.length) throw new Error(`randomId: length must be <= ${scratch.length}`);
  const bytes = take(length);
  for (let i = 0; i < length; i++) scratch[i] = ALPHABET[(bytes[i] as number) % 62] as number;
  // One flat string (not 24 concatenations): 100k ids stay cheap to build and to keep.
  return prefix + scratch.toString("latin1", 0, length);
}

/** A key value in Zuplo's format: `zpka_<32 hex>_<8 hex>`. */
export function newKeyValue(): string {
  return `zpka_${take(16).toString("hex")}_${take(4).toString("hex")}`;
}

export function requestId(): string {
  return randomUUID();
}

export function now(): string {
  return new Date().toISOString();
}
