import { setTimeout as delay } from 'node:timers/promises';

/** Time as the waits see it: the system's, or a test's virtual one (src/testing/fake-clock.ts). */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once (without waiting) when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined),
};
