// The machine a run was made on, and its load (other work competing for the cores).
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  date: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}

/** 1-minute load average. */
export const currentLoad = () => loadavg()[0] ?? 0;

/** CPU clock ticks (USER_HZ) used so far by the whole machine and by this process with its
 * finished children: Linux only (`/proc`), undefined elsewhere. */
export interface CpuTicks {
  machine: number;
  own: number;
}

const USER_HZ = 100;

export function cpuTicks(): CpuTicks | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...
    const t = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
      .trim()
      .split(/\s+/)
      .map(Number);
    const machine = [1, 2, 3, 6, 7, 8].reduce((sum, i) => sum + (t[i] ?? 0), 0);
    const self = readFileSync("/proc/self/stat", "utf8");
    // After "(comm) ": state is field 3, so utime (14), stime, cutime, cstime (17) are 11..14.
    const f = self
      .slice(self.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const own = [11, 12, 13, 14].reduce((sum, i) => sum + (f[i] ?? 0), 0);
    return Number.isFinite(machine + own) ? { machine, own } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The share of the machine's CPU (0 to 1) that other processes used between two readings:
 * what competed with the benchmark. Unlike the load average, the benchmark's own work
 * (its client, server and cold-start children) is not counted.
 */
export function othersShare(
  start: CpuTicks | undefined,
  end: CpuTicks | undefined,
  wallMs: number,
  cores: number,
): number | undefined {
  if (!start || !end || wallMs <= 0) return undefined;
  const others = end.machine - start.machine - (end.own - start.own);
  return Math.min(1, Math.max(0, others / ((wallMs / 1000) * USER_HZ * cores)));
}
