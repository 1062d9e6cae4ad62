import { systemClock, type Clock } from './clock.js';
import type { KubeApi } from './kube.js';
import type { ObjectRef, Output } from './types.js';

/** An object a delete was accepted for: gone when no object of that name (or none with that uid) is left. */
export interface Deleting {
  ref: ObjectRef;
  uid?: string;
}

export interface WaitDeps {
  out: Output;
  /** Time for the wait (tests: a virtual one); default the system's. */
  clock?: Clock | undefined;
}

const name = (d: Deleting) => `${d.ref.kind.toLowerCase()}/${d.ref.name}`;

/**
 * Waits until every object is gone, as `kubectl delete` does: a Deployment deleted in the foreground stays (with a
 * deletionTimestamp) until its ReplicaSets and pods are gone, a namespace until everything in it is. A progress
 * line at least every 10 s; past `timeoutMs`, throws naming what is left and `fix`. Returns how long it took.
 */
export async function waitUntilGone(api: KubeApi, deleting: readonly Deleting[], deps: WaitDeps, timeoutMs: number, fix: string): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const started = now();
  let lastPrinted = started;
  let announced = false;
  for (;;) {
    const left: Deleting[] = [];
    for (const d of deleting) {
      const live = await api.get(d.ref);
      if (live && (d.uid === undefined || live.metadata.uid === d.uid)) left.push(d);
    }
    const elapsed = now() - started;
    if (left.length === 0) return elapsed;
    const names = left.map(name).join(', ');
    if (elapsed > timeoutMs) throw new Error(`${names} still terminating after ${Math.round(timeoutMs / 1000)}s\nfix: ${fix}`);
    if (!announced) {
      deps.out.line(
        `  waiting for ${names} to be gone (deleted in the foreground: ${left.length === 1 ? 'it goes after what it owns' : 'each goes after what it owns'})…`,
      );
      announced = true;
    } else if (now() - lastPrinted >= 10_000) {
      deps.out.line(`    … still terminating (${Math.round(elapsed / 1000)}s): ${names}`);
      lastPrinted = now();
    }
    await clock.sleep(1000);
  }
}
