// Process helpers for tests that kill things: is a pid alive, wait until it is gone, its descendants.
import { readdirSync, readFileSync } from "node:fs";

function stat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
}

/** Running (a zombie waiting for this container's init to reap it counts as gone). */
export function alive(pid: number): boolean {
  const line = stat(pid);
  if (line === undefined) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return line.slice(line.lastIndexOf(")") + 2)[0] !== "Z";
}

export async function gone(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/** Every live descendant of `root` (children, grandchildren...), read from /proc. */
export function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const line = stat(pid);
    if (line) parentOf.set(pid, Number(line.slice(line.lastIndexOf(")") + 2).split(" ")[1]));
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const at = queue.shift();
    for (const [pid, ppid] of parentOf) {
      if (ppid === at && alive(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

/** The command line of a pid ("" once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}
