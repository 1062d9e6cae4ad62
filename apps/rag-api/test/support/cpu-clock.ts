import { readFileSync } from 'node:fs';

/**
 * On-CPU time of a process's main thread, in milliseconds (Linux
 * /proc/<pid>/task/<pid>/schedstat, nanosecond resolution). A start-up
 * reaches the same point after the same CPU time however loaded the machine
 * is, which wall-clock time does not give on a shared 2-core VM.
 */
export function mainThreadCpuMs(pid: number): number {
  const [onCpuNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
  return Number(onCpuNs) / 1e6;
}

/** Polls until the process's main thread has run for `ms` of CPU, or it exited (returns false). */
export async function waitForCpu(pid: number, ms: number, exited: () => boolean): Promise<boolean> {
  for (;;) {
    if (exited()) return false;
    try {
      if (mainThreadCpuMs(pid) >= ms) return true;
    } catch {
      return false; // gone
    }
    await new Promise((r) => setImmediate(r));
  }
}
