// A throw-away copy of the repository (uncommitted changes included) that can be versioned,
// built and published without touching the working tree. It shares the installed dependencies.
import { execFileSync } from "node:child_process";
import { cpSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const skip = new Set([".git", ".turbo", "dist"]);

export function scratchCopy(repo: string, into: string): void {
  cpSync(repo, into, {
    recursive: true,
    verbatimSymlinks: true, // packages' node_modules link relatively into the root's .pnpm store
    filter: (src) => {
      const rel = src.slice(repo.length + 1);
      if (rel === "node_modules") return false;
      return !rel.split("/").some((part) => skip.has(part));
    },
  });
  symlinkSync(join(repo, "node_modules"), join(into, "node_modules"), "dir");
  // changeset publish tags each release in git.
  const git = (...args: string[]) => execFileSync("git", args, { cwd: into, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git(
    "-c",
    "user.name=release-test",
    "-c",
    "user.email=release-test@example.com",
    "commit",
    "-qm",
    "scratch",
  );
}
