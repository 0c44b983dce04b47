// Input checks run before any request, so bad input fails fast with an error
// naming the field and the rule instead of a 400 (or a silent mis-request).
// Patterns and limits come from the spec via src/generated/rules.ts.
import { queryOptions, routes, rules, tagFilterOperations } from "../generated/rules.js";
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

/** The longest delay a timer can take (Node turns anything longer into 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

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
    checkEncodable(`${field} name`, name);
    checkString(`${field}.${name}`, value);
    checkEncodable(`${field}.${name}`, value);
  }
}

/** Plain JSON data only: no toJSON, Date, Map, function or undefined, so what is checked is what is sent. */
function isJsonData(value: unknown, depth: number): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (depth > 32) return false; // also ends a cycle
  if (Array.isArray(value)) return value.every((item) => isJsonData(item, depth + 1));
  return (
    isPlainObject(value) &&
    !("toJSON" in value) &&
    Object.values(value).every((item) => item !== undefined && isJsonData(item, depth + 1))
  );
}

export function checkMetadata(field: string, metadata: unknown) {
  if (metadata === undefined) return;
  checkObject(field, metadata);
  if (!isJsonData(metadata, 0))
    fail(field, "must be plain JSON data (no toJSON, Date, Map, function, undefined)");
  const json = JSON.stringify(metadata);
  // A UTF-16 unit is at most 3 UTF-8 bytes: short JSON needs no encoding to measure.
  if (
    json.length * 3 > METADATA_MAX_BYTES &&
    new TextEncoder().encode(json).length > METADATA_MAX_BYTES
  )
    fail(field, `must be at most ${METADATA_MAX_BYTES} bytes as JSON`);
}

/**
 * A path parameter: non-empty, encodable, and not a dot segment (URL
 * normalisation would turn `keys/..` into the consumer itself).
 */
export function checkPathParam(field: string, value: unknown, pattern?: string) {
  checkName(field, value, pattern);
  const wire = encoded(value as string);
  if (!wire || wire === "." || wire === "..")
    fail(field, "must not be . or .. and must be valid Unicode");
}

/** The percent-encoded string, or "" when it cannot be encoded (a lone surrogate). */
function encoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "";
  }
}

/** A string that goes into the URL must be valid Unicode, else encoding it throws. */
function checkEncodable(field: string, value: unknown) {
  if (typeof value === "string" && value && !encoded(value))
    fail(field, "must be valid Unicode (no lone surrogate)");
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

const namesByOp = new Map<string, string[]>();

/** The names a params object of `op` may hold: path params, camelCased query options, body, tags. */
function paramNames(op: keyof typeof routes): string[] {
  let names = namesByOp.get(op);
  if (!names) {
    const [method, path] = routes[op];
    names = [...pathParamNames(path), ...(queryOptions[op]?.split(" ") ?? [])];
    if (method === "POST" || method === "PATCH") names.push("body");
    if ((tagFilterOperations as readonly string[]).includes(op)) names.push("tags");
    namesByOp.set(op, names);
  }
  return names;
}

/** Another name of the operation a typo most likely meant (`tag` → `tags`). */
function suggestion(name: string, known: string[]): string {
  const lower = name.toLowerCase().replace(/[-_]/g, "");
  const near = known.find((k) => {
    const other = k.toLowerCase();
    return other.startsWith(lower) || lower.startsWith(other);
  });
  return near ? `; did you mean ${near}?` : `; it takes ${known.join(", ") || "none"}`;
}

/** Checks every operation has in common: known names, path params, body, paging, tag filters. */
export function checkParams(op: keyof typeof routes, params: Record<string, unknown>) {
  const known = paramNames(op);
  const pathNames = pathParamNames(routes[op][1]);
  for (const name in params) {
    if (!known.includes(name)) fail(name, `is not a parameter of ${op}${suggestion(name, known)}`);
    // Path params get the same check, with their own rules, just below.
    if (!pathNames.includes(name)) checkEncodable(name, params[name]);
  }
  for (const name of pathNames)
    checkPathParam(name, params[name], (rules.pathParamPatterns as Record<string, string>)[name]);
  // Every POST and PATCH of the spec requires a JSON body (an object, or an array for $bulk).
  if (known.includes("body") && (typeof params.body !== "object" || !params.body))
    fail("body", "is required (an object)");
  checkInteger("limit", params.limit, rules.limit.minimum, rules.limit.maximum);
  checkInteger("offset", params.offset, rules.offset.minimum);
  checkTags("tags", params.tags);
}
