import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startManagementStandIn } from "@keysmith/auth0-stand-in";
import { startPrism } from "@keysmith/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// What users install is the tarball, not the workspace link: pack each public
// package, install the tarballs into a project outside the workspace, use them.
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const fixtures = join(here, "fixtures");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const publicPackages = ["packages/client", "packages/auth0-action"];

let project: string;
let prism: Awaited<ReturnType<typeof startPrism>>;

async function pack(packageDir: string, destination: string): Promise<string> {
  await run("pnpm", ["pack", "--pack-destination", destination], { cwd: join(repo, packageDir) });
  const name = (await readdir(destination)).find(
    (file) => file.endsWith(".tgz") && file.includes(packageDir.split("/")[1] ?? ""),
  );
  if (!name) throw new Error(`pnpm pack wrote no tarball for ${packageDir}`);
  return join(destination, name);
}

async function node(file: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [file], {
    cwd: project,
    env: { ...process.env, PRISM_URL: prism.url },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");
}

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), "keysmith-smoke-"));
  project = join(root, "project");
  const tarballs = join(root, "tarballs");
  await mkdir(project);
  await mkdir(tarballs);
  const [packed, started] = await Promise.all([
    (async () => {
      const files: string[] = [];
      for (const dir of publicPackages) files.push(await pack(dir, tarballs));
      return files;
    })(),
    startPrism({ port: 0 }),
  ]);
  prism = started;
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "smoke-user", private: true, type: "module" }),
  );
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...packed], {
    cwd: project,
  });
  for (const file of await readdir(fixtures)) {
    await copyFile(join(fixtures, file), join(project, file));
  }
});

afterAll(async () => {
  await prism?.stop();
  if (project) await rm(dirname(project), { recursive: true, force: true });
});

describe("@keysmith/auth0-action from its tarball", () => {
  it("exports the provisioning routine and ships the action as a native async handler", async () => {
    expect(await node("action.mjs")).toEqual({
      provisionConsumer: "function",
      consumerName: expect.stringMatching(/^[a-z0-9-]{1,128}$/),
      handler: "AsyncFunction",
    });
  });

  it("installs a working keysmith-backfill bin", async () => {
    const { stdout } = await run(join(project, "node_modules/.bin/keysmith-backfill"), ["--help"], {
      cwd: project,
    });
    expect(stdout).toMatch(/keysmith-backfill/);
    expect(stdout).toMatch(/--dry-run/);
  });

  it("installs keysmith-deploy: npx keysmith-deploy --dry-run plans both actions and the Event Stream", async () => {
    const standIn = await startManagementStandIn({
      clientId: "smoke-id",
      clientSecret: "smoke-secret-0123",
    });
    try {
      const { stdout } = await run(
        join(project, "node_modules/.bin/keysmith-deploy"),
        ["--dry-run"],
        {
          cwd: project,
          env: {
            PATH: process.env.PATH ?? "",
            AUTH0_DOMAIN: "smoke.eu.auth0.com",
            AUTH0_CLIENT_ID: "smoke-id",
            AUTH0_CLIENT_SECRET: "smoke-secret-0123",
            KEYSMITH_AUTH0_ORIGIN: standIn.origin,
            ZUPLO_API_KEY: "zpka_smoke_not_real",
            ZUPLO_ACCOUNT_NAME: "acme-corp",
            ZUPLO_BUCKET_NAME: "acme-prod",
          },
        },
      );
      expect(stdout).toMatch(/plan: create action "keysmith-provision-zuplo-consumer"/);
      expect(stdout).toMatch(/event stream "keysmith-user-lifecycle": create/);
      expect(stdout).not.toContain("smoke-secret-0123");
      expect(
        standIn.requests.filter((r) => r.method !== "GET" && r.path !== "/oauth/token"),
      ).toEqual([]);
    } finally {
      await standIn.close();
    }
  });

  it("installs keysmith-events, which names what it needs", async () => {
    const error = await run(join(project, "node_modules/.bin/keysmith-events"), ["serve"], {
      cwd: project,
      env: { PATH: process.env.PATH ?? "" },
    }).catch((e: { code?: number; stderr?: string }) => e);
    expect((error as { code?: number }).code).toBe(2);
    expect((error as { stderr?: string }).stderr).toMatch(/--port/);
  });

  it("installs a working keysmith-sync bin", async () => {
    const bin = join(project, "node_modules/.bin/keysmith-sync");
    const { stdout } = await run(bin, ["--help"], { cwd: project });
    expect(stdout).toMatch(/Usage: keysmith-sync <plan\|apply>/);
    const version = await run(bin, ["--version"], { cwd: project });
    expect(version.stdout).toMatch(/^keysmith-sync \d+\.\d+\.\d+/);
  });
});

describe("@keysmith/client from its tarball", () => {
  it("works with import (ESM) against Prism", async () => {
    expect(await node("esm.mjs")).toEqual({
      sub: expect.any(String),
      consumer: "ada-lovelace",
      notFound: { isNotFound: true, isApiError: true, status: 404 },
    });
  });

  it("works with require (CommonJS) against Prism", async () => {
    expect(await node("cjs.cjs")).toEqual({ buckets: 1, conflict: true });
  });

  it("type-checks a user's ESM and CommonJS files against the installed types", async () => {
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project }).then(
      () => "ok",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("ok");
  });
});
