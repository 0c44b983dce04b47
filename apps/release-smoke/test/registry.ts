// A real npm registry for the release test: Verdaccio on 127.0.0.1, a port the OS chooses,
// storage and config in a temp folder, one user who may publish @keysmith/*.

import { mkdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runServer } from "verdaccio";

export interface LocalRegistry {
  /** e.g. http://127.0.0.1:41234/ (with the trailing slash npm expects). */
  url: string;
  /** An npmrc with the registry and the user's token, for NPM_CONFIG_USERCONFIG. */
  npmrc: string;
  stop(): Promise<void>;
}

/** Everything but @keysmith/* comes through from the registry this machine uses. */
export async function startRegistry(dir: string, upstream: string): Promise<LocalRegistry> {
  await mkdir(join(dir, "storage"), { recursive: true });
  const config = join(dir, "config.yaml");
  await writeFile(
    config,
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "uplinks:",
      "  upstream:",
      `    url: ${upstream}`,
      // A busy machine or a slow mirror must not turn a dependency into a 404.
      "    timeout: 120s",
      "    max_fails: 10",
      "    fail_timeout: 1s",
      "packages:",
      '  "@keysmith/*":',
      "    access: $all",
      "    publish: $authenticated",
      '  "**":',
      "    access: $all",
      "    proxy: upstream",
      "log: { type: stdout, format: pretty, level: error }",
      "",
    ].join("\n"),
  );
  const server = (await runServer(config)) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  // What `npm adduser` does: the registry creates the user and answers with a token.
  const res = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release-test", password: "release-test-password" }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!res.ok || !token) throw new Error(`Verdaccio did not create the user: ${res.status}`);
  const npmrc = join(dir, "npmrc");
  await writeFile(npmrc, `registry=${url}\n//${url.slice("http://".length)}:_authToken=${token}\n`);

  return {
    url,
    npmrc,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
