import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// scripts/check-changesets.ts (run by `pnpm test`) against small real git repositories:
// a branch, a clone that has only main, a shallow clone.
const script = fileURLToPath(new URL("../../../scripts/check-changesets.ts", import.meta.url));
const tsxLoader = createRequire(import.meta.url).resolve("tsx");
let root: string;

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    stdio: "ignore",
  });
}

async function write(repo: string, file: string, text: string): Promise<void> {
  await mkdir(dirname(join(repo, file)), { recursive: true });
  await writeFile(join(repo, file), text);
}

function check(cwd: string): Promise<{ code: number; output: string }> {
  const env = { ...process.env, CHANGESET_BASE: "", GITHUB_BASE_REF: "" };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", tsxLoader, script],
      { cwd, env },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
    );
  });
}

const changeset = (pkg: string) => `---\n"${pkg}": patch\n---\n\nFix a thing.\n`;

// main: a released package @t/a (CHANGELOG.md), a private app, a pending changeset-free state.
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keysmith-changesets-"));
  const main = join(root, "main");
  await mkdir(main);
  git(main, "init", "-q", "-b", "main");
  await write(main, ".changeset/config.json", JSON.stringify({ baseBranch: "main" }));
  await write(main, ".changeset/README.md", "Changesets.\n");
  await write(main, "packages/a/package.json", JSON.stringify({ name: "@t/a", version: "1.0.0" }));
  await write(main, "packages/a/src/index.ts", "export const a = 1;\n");
  await write(main, "packages/a/CHANGELOG.md", "# @t/a\n\n## 1.0.0\n");
  await write(main, "packages/p/package.json", JSON.stringify({ name: "@t/p", private: true }));
  await write(main, "packages/p/src/index.ts", "export const p = 1;\n");
  git(main, "add", "-A");
  git(main, "commit", "-qm", "Version packages");
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

// Each case has its own repositories: side by side.
describe.concurrent("check-changesets", () => {
  it("fails a branch that changes a package's src without a changeset, naming the package", async () => {
    const repo = join(root, "branch");
    git(root, "clone", "-q", join(root, "main"), repo);
    git(repo, "checkout", "-q", "-b", "feature");
    await write(repo, "packages/a/src/index.ts", "export const a = 2;\n");
    await write(repo, "packages/a/README.md", "Docs need no changeset.\n");
    await write(repo, "packages/p/src/index.ts", "export const p = 2;\n");
    git(repo, "commit", "-qam", "change a");

    const failed = await check(repo);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("@t/a: packages/a/src/index.ts");
    expect(failed.output).toContain("merge base with origin/main");
    expect(failed.output).toContain("pnpm changeset");
    expect(failed.output).not.toContain("@t/p");

    await write(repo, ".changeset/fix-a.md", changeset("@t/a")); // untracked still counts
    expect(await check(repo)).toEqual({ code: 0, output: "" });
  });

  it("a changeset for another package does not cover this one", async () => {
    const repo = join(root, "other");
    git(root, "clone", "-q", join(root, "main"), repo);
    git(repo, "checkout", "-q", "-b", "feature");
    await write(repo, "packages/a/src/index.ts", "export const a = 3;\n");
    await write(repo, ".changeset/fix-b.md", changeset("@t/b"));
    expect((await check(repo)).code).toBe(1);
  });

  it("on a clone of main alone (CI after a push), compares with the last release", async () => {
    const fresh = join(root, "only-main");
    git(root, "clone", "-q", "--single-branch", join(root, "main"), fresh);
    expect(await check(fresh)).toEqual({ code: 0, output: "" }); // a fresh clone passes

    const pushed = join(root, "pushed");
    git(root, "clone", "-q", join(root, "main"), pushed);
    await write(pushed, "packages/a/src/index.ts", "export const a = 4;\n");
    git(pushed, "commit", "-qam", "direct push to main, no changeset");
    const repo = join(root, "pushed-clone");
    git(root, "clone", "-q", "--single-branch", pushed, repo);
    const failed = await check(repo);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("since the last release");
  });

  it("skips a shallow clone that lacks the history, with a notice", async () => {
    const upstream = join(root, "unreleased");
    git(root, "clone", "-q", join(root, "main"), upstream);
    await rm(join(upstream, "packages/a/CHANGELOG.md"));
    git(upstream, "commit", "-qam", "no release in reach");
    const repo = join(root, "shallow");
    git(root, "clone", "-q", "--depth", "1", `file://${upstream}`, repo);
    const result = await check(repo);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/shallow clone.*skipped/);
  });
});
