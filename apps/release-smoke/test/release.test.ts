import { execFile, execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startManagementStandIn } from "@keysmith/auth0-stand-in";
import { type PrismServer, startPrism } from "@keysmith/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startRegistry } from "./registry.js";
import { scratchCopy } from "./scratch.js";

// The release as a maintainer runs it (CONTRIBUTING, "Release to any registry"):
// `pnpm version-packages && pnpm release` in a scratch copy of the repository, against a real
// registry on 127.0.0.1; then a user's project outside the workspace installs both packages
// from that registry and uses them.
const run = promisify(execFile);
const repo = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

type Manifest = { name: string; version: string; private?: boolean; bin?: Record<string, string> };
const readManifest = async (file: string): Promise<Manifest> =>
  JSON.parse(await readFile(file, "utf8"));

// A user's shell, not pnpm's script environment: pnpm passes its settings as npm_config_*
// (overrides, verify-deps-before-run...), which npm would warn about or apply.
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_config_")),
);

let root: string;
let scratch: string;
let project: string;
let registry: LocalRegistry;
let prism: PrismServer;
let before: Manifest[];
let treeBefore: string;
let dryRun: string;
let releaseOutput: string;
let released: Manifest[];

async function publicPackages(dir: string): Promise<Manifest[]> {
  const found: Manifest[] = [];
  for (const name of await readdir(join(dir, "packages"))) {
    const manifest = await readManifest(join(dir, "packages", name, "package.json"));
    if (!manifest.private) found.push(manifest);
  }
  return found;
}

/** What git sees in the working tree: status and the full diff. */
function workingTree(): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
  return git("status", "--porcelain") + git("diff");
}

/** Every file below `dir`, relative to it (an installed package's own dependencies aside). */
async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === "node_modules") continue;
    if (entry.isDirectory()) files.push(...(await filesUnder(dir, rel)));
    else files.push(rel);
  }
  return files.sort();
}

/** The file names `pnpm release:dry-run` lists under a package's heading. */
function dryRunFiles(output: string, name: string): string[] {
  const block = output.split(/\n(?=@)/).find((b) => b.startsWith(`${name} `)) ?? "";
  return block
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter(Boolean)
    .sort();
}

async function node(file: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [file], {
    cwd: project,
    env: { ...userEnv, PRISM_URL: prism.url },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keysmith-release-"));
  scratch = join(root, "repo");
  project = join(root, "project");
  const upstream = execFileSync("npm", ["config", "get", "registry"], {
    encoding: "utf8",
    env: userEnv,
  }).trim();
  [registry, prism] = await Promise.all([
    startRegistry(join(root, "registry"), upstream),
    startPrism({ port: 0, readyTimeoutMs: 120_000 }), // slow to start on a busy machine
  ]);
  treeBefore = workingTree();
  before = await publicPackages(repo);
  scratchCopy(repo, scratch);
  // A changeset of our own, so there is always something to release (even right after a
  // real release has consumed the pending ones).
  await writeFile(
    join(scratch, ".changeset/release-smoke.md"),
    `---\n${before.map((p) => `"${p.name}": patch`).join("\n")}\n---\n\nRelease smoke test.\n`,
  );

  dryRun = (
    await run("pnpm", ["-s", "release:dry-run"], {
      cwd: scratch,
      // The workspace's build cache: the scratch copy's sources are the same.
      env: { ...userEnv, TURBO_CACHE_DIR: join(repo, ".turbo/cache") },
    })
  ).stdout;

  // The documented commands, pointed at the local registry.
  const env = {
    ...userEnv,
    npm_config_registry: registry.url,
    NPM_CONFIG_USERCONFIG: registry.npmrc,
    TURBO_TELEMETRY_DISABLED: "1",
    TURBO_NO_UPDATE_NOTIFIER: "1",
  };
  await run("pnpm", ["version-packages"], { cwd: scratch, env });
  const release = await run("pnpm", ["release"], { cwd: scratch, env });
  releaseOutput = release.stdout + release.stderr;
  released = await publicPackages(scratch);

  await mkdir(project);
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "release-user", private: true, type: "module" }),
  );
  await run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--registry",
      registry.url,
      "--cache",
      join(root, "npm-cache"),
      ...released.map((p) => `${p.name}@${p.version}`),
    ],
    { cwd: project, env: userEnv },
  );
  for (const file of await readdir(fixtures)) {
    await copyFile(join(fixtures, file), join(project, file));
  }
});

afterAll(async () => {
  await Promise.all([prism?.stop(), registry?.stop()]);
  if (root) await rm(root, { recursive: true, force: true });
});

describe("pnpm version-packages && pnpm release, to a local registry", () => {
  it("publishes every public package at its new version", async () => {
    expect(released.map((p) => p.name).sort()).toEqual([
      "@keysmith/auth0-action",
      "@keysmith/client",
    ]);
    expect(releaseOutput).toMatch(/packages published successfully/);
    for (const { name, version } of released) {
      expect(version).not.toBe(before.find((p) => p.name === name)?.version); // bumped
      const res = await fetch(`${registry.url}${name.replace("/", "%2f")}`);
      const packument = (await res.json()) as { versions?: Record<string, unknown> };
      expect(Object.keys(packument.versions ?? {}), name).toEqual([version]);
    }
  });

  it("pnpm release:dry-run listed, beforehand, exactly the files that were published", async () => {
    for (const { name, version } of released) {
      const old = before.find((p) => p.name === name)?.version;
      expect(dryRun).toContain(`${name} ${old} -> ${version}:`);
      const listed = dryRunFiles(dryRun, name);
      expect(listed).toContain("CHANGELOG.md");
      expect(listed).toEqual(await filesUnder(join(project, "node_modules", name)));
    }
  });

  it("leaves the working tree as it was", () => {
    expect(workingTree()).toBe(treeBefore);
  });

  it("pnpm release:dry-run then says plainly that nothing is pending", async () => {
    const { stdout } = await run("pnpm", ["-s", "release:dry-run"], { cwd: scratch });
    expect(stdout).toMatch(/Nothing would be published: no pending changesets/);
  });
});

// Independent of each other: side by side, as tsc alone takes a while.
describe.concurrent("a user's project installing from that registry", () => {
  it("imports the client (ESM) and calls a real Prism", async () => {
    expect(await node("esm.mjs")).toEqual({
      sub: expect.any(String),
      consumer: "ada-lovelace",
      notFound: { isNotFound: true, isApiError: true, status: 404 },
    });
  });

  it("requires the client (CommonJS) and calls a real Prism", async () => {
    expect(await node("cjs.cjs")).toEqual({ buckets: 1, conflict: true });
  });

  it("type-checks ESM and CommonJS user files, wrong calls included, against the installed types", async () => {
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project }).then(
      () => "ok",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("ok");
  });

  it("loads the action library and the bundled action as a native async handler", async () => {
    expect(await node("action.mjs")).toEqual({
      provisionConsumer: "function",
      consumerName: expect.stringMatching(/^[a-z0-9-]{1,128}$/),
      handler: "AsyncFunction",
    });
  });

  it("runs every bin the installed packages declare with --help", async () => {
    const bins: string[] = [];
    for (const { name } of released) {
      const installed = await readManifest(join(project, "node_modules", name, "package.json"));
      bins.push(...Object.keys(installed.bin ?? {}));
    }
    expect(bins).toEqual(
      expect.arrayContaining([
        "keysmith-backfill",
        "keysmith-sync",
        "keysmith-events",
        "keysmith-deploy",
      ]),
    );
    for (const bin of bins) {
      const { stdout } = await run(join(project, "node_modules/.bin", bin), ["--help"], {
        cwd: project,
      });
      expect(stdout, bin).toContain(bin);
    }
  });

  it("keysmith-deploy --dry-run plans both actions and the Event Stream, writing nothing", async () => {
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

  it("keysmith-events serve without --port names what it needs", async () => {
    const error = await run(join(project, "node_modules/.bin/keysmith-events"), ["serve"], {
      cwd: project,
      env: { PATH: process.env.PATH ?? "" },
    }).catch((e: { code?: number; stderr?: string }) => e);
    expect((error as { code?: number }).code).toBe(2);
    expect((error as { stderr?: string }).stderr).toMatch(/--port/);
  });
});
