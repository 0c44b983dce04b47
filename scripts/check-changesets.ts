// Fails when a published package's shipped source (`src/`, `bin/`) changed without a changeset
// naming that package. Run by `pnpm test`, from the repository it is started in.
//
// Compared with (the first that applies):
// 1. $CHANGESET_BASE, if set (any commit-ish);
// 2. on a branch: its merge base with the default branch (.changeset/config.json `baseBranch`),
//    as origin/$GITHUB_BASE_REF, origin/<baseBranch> or <baseBranch>, whichever exists;
// 3. on the default branch itself, or a clone that has only it: the last release, i.e. the last
//    commit that changed a package's CHANGELOG.md (`pnpm version-packages` writes them), or the
//    very first commit while nothing has been released yet. Every change since then must be
//    covered by a pending changeset.
// A shallow clone that lacks that history is skipped with a notice (CI fetches full history).
// Uncommitted and untracked files count, so the check works before you commit.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const SHIPPED = ["src/", "bin/"];

function git(...args: string[]): string | undefined {
  try {
    return execFileSync("git", args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

const root = git("rev-parse", "--show-toplevel");
if (!root) {
  console.log("check-changesets: not a git checkout, skipped.");
  process.exit(0);
}

// Read here, outside turbo: these never reach a cached task.
const { CHANGESET_BASE: fromEnv, GITHUB_BASE_REF: prBase } = process.env;

function findBase(): { base: string; what: string } | undefined {
  if (fromEnv) return { base: fromEnv, what: `$CHANGESET_BASE (${fromEnv})` };

  const config = JSON.parse(readFileSync(join(root as string, ".changeset/config.json"), "utf8"));
  const branch: string = config.baseBranch ?? "main";
  const head = git("rev-parse", "HEAD");
  const refs = [prBase && `origin/${prBase}`, `origin/${branch}`, branch];
  for (const ref of refs) {
    if (!ref || !git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`)) continue;
    const mergeBase = git("merge-base", "HEAD", ref);
    if (mergeBase && mergeBase !== head)
      return { base: mergeBase, what: `the merge base with ${ref}` };
    break; // HEAD is on the default branch: compare with the last release instead
  }

  const release = git("log", "-1", "--format=%H", "--", "packages/*/CHANGELOG.md");
  if (release) return { base: release, what: "the last release (last CHANGELOG.md change)" };
  if (git("rev-parse", "--is-shallow-repository") === "true") return undefined;
  return { base: EMPTY_TREE, what: "the first commit (nothing released yet)" };
}

const found = findBase();
if (!found) {
  console.log(
    "check-changesets: shallow clone without the last release or the default branch, skipped " +
      "(fetch full history, e.g. actions/checkout with fetch-depth: 0).",
  );
  process.exit(0);
}

const changed = new Set(
  [
    git("diff", "--name-only", found.base) ?? "",
    git("ls-files", "--others", "--exclude-standard") ?? "",
  ]
    .join("\n")
    .split("\n")
    .filter(Boolean),
);

// Packages named in the changesets added since the base (frontmatter: `"@scope/name": minor`).
const named = new Set<string>();
for (const file of changed) {
  if (!/^\.changeset\/[^/]+\.md$/.test(file) || file.endsWith("README.md")) continue;
  const path = join(root, file);
  if (!existsSync(path)) continue;
  const frontmatter = /^---\n([\s\S]*?)\n---/.exec(readFileSync(path, "utf8"))?.[1] ?? "";
  for (const m of frontmatter.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:/gm))
    named.add(m[1] as string);
}

const missing: string[] = [];
for (const dir of readdirSync(join(root, "packages"))) {
  const manifestFile = join(root, "packages", dir, "package.json");
  if (!existsSync(manifestFile)) continue;
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
    name: string;
    private?: boolean;
  };
  if (manifest.private || named.has(manifest.name)) continue;
  const prefixes = SHIPPED.map((p) => `packages/${dir}/${p}`);
  const files = [...changed].filter((f) => prefixes.some((p) => f.startsWith(p)));
  if (files.length > 0) {
    const shown =
      files.slice(0, 3).join(", ") + (files.length > 3 ? `, and ${files.length - 3} more` : "");
    missing.push(`  ${manifest.name}: ${shown}`);
  }
}

if (missing.length > 0) {
  console.error(
    [
      `Source of a published package changed since ${found.what} without a changeset naming it:`,
      ...missing,
      "Run `pnpm changeset`, choose these packages and the bump, write the sentence a user wants in " +
        "the changelog, and commit the new .changeset/*.md file.",
    ].join("\n"),
  );
  process.exit(1);
}
