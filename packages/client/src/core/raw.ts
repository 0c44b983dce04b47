// Owns `raw`: the typed openapi-fetch client on the same base URL, headers and fetch as the
// client's own calls. Kept apart so a bundle that never touches `raw` leaves openapi-fetch out.
import openapiFetch, { type Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { type Core, querySerializer } from "./transport.js";

export function rawClient({ baseUrl, headers, fetch }: Core["wire"]): Client<paths> {
  // In the CJS build the default import is openapi-fetch's whole `exports` object
  // (esbuild's Node interop); its `.default` is the function. Read here, not at module
  // scope: a top-level read would keep openapi-fetch in bundles that never build `raw`.
  const createClient: typeof openapiFetch =
    (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;
  return createClient<paths>({
    baseUrl,
    fetch: fetch as ((request: Request) => Promise<Response>) | undefined,
    querySerializer,
    headers,
    redirect: "manual",
  });
}
