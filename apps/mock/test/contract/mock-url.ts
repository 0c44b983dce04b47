// KEYSMITH_MOCK_URL: a running Prism mock (`pnpm mock`) the contract tests use instead of
// starting their own; read and checked here.

export const MOCK_URL_ENV = "KEYSMITH_MOCK_URL";

/** The URL in KEYSMITH_MOCK_URL without a trailing slash, or undefined; throws on a bad one. */
export function mockUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[MOCK_URL_ENV]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${MOCK_URL_ENV}=${raw} is not a URL: give one like http://127.0.0.1:4010`);
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== "/" || url.search || url.hash) {
    throw new Error(
      `${MOCK_URL_ENV}=${raw}: give the mock's base URL (http(s)://host:port), like http://127.0.0.1:4010`,
    );
  }
  return url.origin;
}

/** Fails early, saying what to do, unless a Prism mock answers at `url`. */
export async function checkRunningMock(url: string): Promise<void> {
  let res: Response;
  try {
    // Only Prism honours `Prefer: code=401` on a request that carries a bearer.
    res = await fetch(`${url}/v1/who-am-i`, {
      headers: { authorization: "Bearer zpka_contract_probe", prefer: "code=401" },
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
  } catch (error) {
    throw new Error(
      `${MOCK_URL_ENV}=${url} does not answer (${(error as Error).message}): start it with \`pnpm mock\`, or unset ${MOCK_URL_ENV} and the tests start their own Prism`,
    );
  }
  if (res.status !== 401) {
    throw new Error(
      `${MOCK_URL_ENV}=${url} is not a Prism mock of spec/openapi.yaml (it ignored \`Prefer: code=401\`): run \`pnpm mock\` (without --stateful)`,
    );
  }
}
