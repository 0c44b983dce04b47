// Input checks run before any request, so bad input fails fast with an error
// naming the field and the rule instead of a 400 (or a silent mis-request).
// Patterns and limits come from the spec via src/generated/rules.ts.
import { rules } from "../generated/rules.js";
import { InvalidInputError } from "./errors.js";

/** Zuplo's limit on metadata as encoded JSON (the spec's `x-max-json-bytes`). */
export const METADATA_MAX_BYTES = rules.metadataMaxJsonBytes;

export function fail(field: string, rule: string): never {
  throw new InvalidInputError(field, rule);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

export function checkString(field: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || !value) fail(field, "must be a non-empty string");
}

// Compiled once per pattern: input checks run on every call.
const compiled = new Map<string, RegExp>();

/** A non-empty string matching the spec's `pattern` (when there is one). */
export function checkName(field: string, value: unknown, pattern?: string) {
  checkString(field, value);
  if (!pattern) return;
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern);
    compiled.set(pattern, regex);
  }
  if (!regex.test(value)) fail(field, `must match ${pattern}`);
}

export function checkObject(
  field: string,
  value: unknown,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) fail(field, "must be a plain object");
}

export function checkInteger(field: string, value: unknown, min: number, max = Infinity) {
  const n = value as number;
  if (value !== undefined && !(Number.isInteger(n) && n >= min && n <= max))
    fail(field, `must be an integer from ${min}${max < Infinity ? ` to ${max}` : " up"}`);
}

export function checkTags(field: string, tags: unknown, max: number = rules.tagsMaxProperties) {
  if (tags === undefined) return;
  checkObject(field, tags);
  const entries = Object.entries(tags);
  if (entries.length > max) fail(field, `must have at most ${max} entries`);
  for (const [name, value] of entries) {
    if (!name) fail(field, "names must be non-empty strings");
    checkString(`${field}.${name}`, value);
  }
}

export function checkMetadata(field: string, metadata: unknown) {
  if (metadata === undefined) return;
  checkObject(field, metadata);
  let json: string;
  try {
    json = JSON.stringify(metadata);
  } catch {
    return fail(field, "must be JSON-serialisable");
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: short JSON needs no encoding to measure.
  if (
    json.length * 3 > METADATA_MAX_BYTES &&
    new TextEncoder().encode(json).length > METADATA_MAX_BYTES
  )
    fail(field, `must be at most ${METADATA_MAX_BYTES} bytes as JSON`);
}

const namesByPath = new Map<string, string[]>();

/** The caller-supplied path params of a route template (accountName comes from the client). */
function pathParamNames(path: string): string[] {
  let names = namesByPath.get(path);
  if (!names) {
    names = [...path.matchAll(/\{(\w+)\}/g)]
      .map((match) => match[1] as string)
      .filter((name) => name !== "accountName");
    namesByPath.set(path, names);
  }
  return names;
}

/** Checks every operation has in common: path params of the route, body, paging, tag filters. */
export function checkParams(method: string, path: string, params: Record<string, unknown>) {
  for (const name of pathParamNames(path)) {
    checkName(name, params[name], (rules.pathParamPatterns as Record<string, string>)[name]);
  }
  // Every POST and PATCH of the spec requires a JSON body (an object, or an array for $bulk).
  if (
    (method === "POST" || method === "PATCH") &&
    (typeof params.body !== "object" || !params.body)
  )
    fail("body", "is required (an object)");
  checkInteger("limit", params.limit, rules.limit.minimum, rules.limit.maximum);
  checkInteger("offset", params.offset, rules.offset.minimum);
  checkTags("tags", params.tags);
}
