// `pnpm release:dry-run`: what `pnpm release` would publish, without a registry
// login and without touching the working tree. Applies the pending changesets
// in a scratch copy of the repo, then asks npm what each public package's
// tarball would contain.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "keysmith-release-"));
const skip = new Set(["node_modules", ".turbo", ".git", ".tmp"]);

type Manifest = { name: string; version: string; private?: boolean };
const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

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

  const rows: string[] = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(scratch, group))) {
      const dir = join(scratch, group, name);
      const after = readManifest(dir);
      if (after.private) continue;
      const before = readManifest(join(repo, group, name));
      const packed = JSON.parse(
        execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
          cwd: join(repo, group, name),
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }),
      )[0] as { entryCount: number; size: number };
      const change =
        before.version === after.version ? "unchanged" : `${before.version} -> ${after.version}`;
      rows.push(
        `${after.name.padEnd(26)} ${change.padEnd(18)} ${String(packed.entryCount).padStart(3)} files ${(packed.size / 1024).toFixed(1).padStart(6)} kB packed`,
      );
    }
  }
  console.log("Would publish (pending changesets applied in a scratch copy):");
  for (const row of rows) console.log(`  ${row}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
