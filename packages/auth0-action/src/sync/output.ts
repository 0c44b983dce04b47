// Owns what keysmith-sync prints: plan rows grouped like `terraform plan`, apply lines,
// NDJSON for automation, and the progress bar (TTY) or plain progress lines.
import type { OutputStream } from "../backfill/progress.js";
import { describeCount } from "../backfill/users-search.js";
import { changesIn, type SyncEvent, type SyncKind, type SyncTotals } from "./run.js";

type Shown = SyncKind | "orphan";

const LABEL: Record<Shown, string> = {
  create: "create",
  link: "link",
  "add-manager": "add manager",
  "replace-manager": "replace manager",
  suspend: "suspend",
  restore: "restore",
  "remove-manager": "remove manager",
  conflict: "conflict",
  nothing: "in step",
  orphan: "orphan",
};
const SYMBOL: Record<Shown, string> = {
  create: "+",
  link: "~",
  "add-manager": "~",
  "replace-manager": "~",
  suspend: "~",
  restore: "~",
  "remove-manager": "~",
  conflict: "!",
  nothing: " ",
  orphan: "-",
};
const BAR_WIDTH = 24;

/** The kinds a plan lists, in the scope's order, then the orphans. */
function shownIn(t: SyncTotals): Shown[] {
  return [...(Object.keys(t.planned) as SyncKind[]).filter((k) => k !== "nothing"), "orphan"];
}

function row(event: SyncEvent): string {
  const consumer = event.consumer ? ` ${event.consumer}` : "";
  const error = event.error ? `: ${event.error}` : ` (${event.reason})`;
  const who = [event.orgId, event.userId].filter((id) => id !== undefined).join(" ");
  return `${who}${consumer}${error}`;
}

/** Progress in the scope's unit: users, or organizations (organization scope). */
function progressOf(t: SyncTotals): { done: number; of: number; unit: string } {
  return t.scope === "organization"
    ? { done: t.organizationsDone ?? 0, of: t.organizations ?? 0, unit: "organizations" }
    : { done: t.users, of: Math.max(t.auth0Total, t.users), unit: "users" };
}

/** What the plan covered, e.g. "6 users, 6 consumers". */
function covered(t: SyncTotals): string {
  return t.scope === "organization"
    ? `${t.organizations} organizations, ${t.users} members, ${t.consumers} organization consumers`
    : `${t.users} users, ${t.consumers} consumers`;
}

export interface OutputSettings {
  json: boolean;
  rows: number;
  verbose: boolean;
}

/** Collects and prints a run's events; `finish` prints the closing summary. */
export function createSyncOutput(out: OutputStream, err: OutputStream, settings: OutputSettings) {
  const tty = err.isTTY === true;
  // Only the first `rows` of each action are kept: memory stays flat at any tenant size.
  const firstRows = new Map<Shown, SyncEvent[]>();
  let drawn = false;
  let lastDraw = 0;
  let lastStep = 0;
  const clear = () => {
    if (drawn) err.write("\r\x1b[K");
    drawn = false;
  };
  const line = (stream: OutputStream, text: string) => {
    if (tty) clear();
    stream.write(`${text}\n`);
  };

  return {
    note(text: string) {
      line(err, text);
    },
    start(t: SyncTotals) {
      const orgs =
        t.scope === "organization"
          ? `${t.organizations} organizations (${t.memberships} memberships), `
          : "";
      const consumers = `${t.consumers} ${t.scope === "organization" ? "organization " : ""}consumers`;
      line(
        err,
        `${t.apply ? "apply" : "plan"}: ${orgs}${describeCount(t.auth0Total)} in Auth0 (via ${t.mode}), ${consumers} in the bucket`,
      );
    },
    event(event: SyncEvent) {
      if (settings.json) {
        out.write(`${JSON.stringify(event)}\n`);
        return;
      }
      if (event.status === "planned") {
        const kept = firstRows.get(event.action) ?? [];
        if (kept.length < settings.rows) kept.push(event);
        firstRows.set(event.action, kept);
        return;
      }
      if (event.status === "failed") line(out, `failed ${LABEL[event.action]} ${row(event)}`);
      else if (settings.verbose) line(out, `${event.status} ${LABEL[event.action]} ${row(event)}`);
    },
    progress(t: SyncTotals) {
      const { done, of, unit } = progressOf(t);
      if (tty) {
        if (Date.now() - lastDraw < 100) return;
        const filled = of === 0 ? BAR_WIDTH : Math.round((done / of) * BAR_WIDTH);
        const bar = `${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}`;
        err.write(`\r\x1b[K[${bar}] ${done}/${of} ${unit}, ${t.done} done, ${t.failed} failed`);
        drawn = true;
        lastDraw = Date.now();
        return;
      }
      const step = Math.max(1, Math.ceil(Math.max(of, 1) / 10));
      if (done - lastStep >= step) {
        lastStep = done;
        err.write(`progress: ${done}/${of} ${unit}, ${t.done} done, ${t.failed} failed\n`);
      }
    },
    finish(t: SyncTotals) {
      if (tty) clear();
      if (settings.json) {
        out.write(`${JSON.stringify({ summary: t })}\n`);
        return;
      }
      const lines: string[] = [];
      if (!t.apply) {
        const changes = changesIn(t);
        if (changes > 0) lines.push("keysmith-sync would perform the following actions:", "");
        for (const kind of shownIn(t)) {
          const count = kind === "orphan" ? t.orphans : (t.planned[kind] ?? 0);
          if (count === 0) continue;
          lines.push(`  ${SYMBOL[kind]} ${LABEL[kind]} (${count})`);
          for (const event of firstRows.get(kind) ?? []) lines.push(`      ${row(event)}`);
          const hidden = count - (firstRows.get(kind)?.length ?? 0);
          if (hidden > 0) lines.push(`      ... and ${hidden} more (--json lists every one)`);
        }
        if (changes > 0) lines.push("");
      }
      const counts = shownIn(t).map(
        (k) => [k, k === "orphan" ? t.orphans : (t.planned[k] ?? 0)] as const,
      );
      const listed = counts.map(([k, n]) => `${n} ${LABEL[k]}`).join(", ");
      lines.push(
        `${t.apply ? "Applied" : "Plan"}: ${listed}; ${t.planned.nothing ?? 0} in step ` +
          `(${covered(t)}).`,
      );
      if (t.apply) {
        lines.push(
          `  done ${t.done}, failed ${t.failed}${t.gone > 0 ? `, deleted meanwhile ${t.gone}` : ""}`,
        );
      } else if (t.incomplete === undefined) {
        lines.push(
          changesIn(t) === 0
            ? "Auth0 and Zuplo are in step: nothing to do."
            : `Run \`keysmith-sync apply\` to carry it out${t.orphans > 0 ? " (add --prune to delete the orphans)" : ""}.`,
        );
      }
      if (t.incomplete)
        lines.push(`incomplete: ${t.incomplete}; re-run to finish (safe to repeat)`);
      else if (t.failed > 0)
        lines.push("some actions failed (see the lines above); fix the cause and re-run");
      out.write(`${lines.join("\n")}\n`);
    },
  };
}
