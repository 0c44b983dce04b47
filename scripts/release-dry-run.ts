// `pnpm release:dry-run`: what `pnpm release` would publish, without a registry login and
// without touching the working tree. Builds first, applies the pending changesets in a scratch
// copy (as `pnpm version-packages` would: new versions, CHANGELOG.md), then lists the files of
// each public package's tarball.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const skip = new Set(["node_modules", ".turbo", ".git", ".tmp"]);

type Manifest = { name: string; version: string; private?: boolean };
type Packed = { files: { path: string; size: number }[]; size: number };
const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

const pending = readdirSync(join(repo, ".changeset")).filter(
  (file) => file.endsWith(".md") && file !== "README.md",
);
if (pending.length === 0) {
  console.log(
    "Nothing would be published: no pending changesets in .changeset/, so `pnpm version-packages` " +
      "changes no version. Add one with `pnpm changeset`.",
  );
  process.exit(0);
}

// What ships is dist/, so build it (turbo's cache makes this quick when nothing changed).
execFileSync(join(repo, "node_modules/.bin/turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: repo,
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" },
});

const scratch = mkdtempSync(join(tmpdir(), "keysmith-release-"));
try {
  cpSync(repo, scratch, {
    recursive: true,
    filter: (src) => !src.split("/").some((part) => skip.has(part)),
  });
  // The copy shares the workspace's installed dependencies.
  symlinkSync(join(repo, "node_modules"), join(scratch, "node_modules"), "dir");
  execFileSync(join(repo, "node_modules/.bin/changeset"), ["version"], {
    cwd: scratch,
    stdio: "ignore",
  });

  console.log(`Would publish (${pending.length} pending changesets applied in a scratch copy):`);
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(scratch, group))) {
      const dir = join(scratch, group, name);
      const after = readManifest(dir);
      if (after.private) continue;
      const before = readManifest(join(repo, group, name));
      const [packed] = JSON.parse(
        execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
          cwd: dir,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }),
      ) as Packed[];
      if (!packed) throw new Error(`npm pack listed nothing for ${after.name}`);
      const change =
        before.version === after.version
          ? `${after.version} (unchanged)`
          : `${before.version} -> ${after.version}`;
      console.log(
        `\n${after.name} ${change}: ${packed.files.length} files, ${kB(packed.size)} packed`,
      );
      for (const file of packed.files.sort((a, b) => a.path.localeCompare(b.path))) {
        console.log(`  ${file.path.padEnd(32)} ${kB(file.size).padStart(9)}`);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function kB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}
