import type { Clock } from '../clock.js';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  /** A caller's sleep (time moves only while someone sleeps), not the fake cluster's own scheduled work. */
  sleeper: boolean;
}

/**
 * Virtual time for the fake cluster and the waits that poll it. Time stands still until someone sleeps; then,
 * once the event loop has run everything else that was ready (a setImmediate), it jumps to the next timer
 * (a sleeper waking, or the cluster's own scheduled work such as a controller catching up) and fires it.
 * So a request that answers wins any race against a timer, and a 45 s stall takes no real time.
 */
export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;

  now(): number {
    return this.t;
  }

  /** Runs `fn` when the clock reaches `at` (work the fake cluster does by itself). */
  at(at: number, fn: () => void): void {
    this.timers.push({ at, seq: this.seq++, fire: fn, sleeper: false });
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fire: resolve, sleeper: true };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          resolve();
        },
        { once: true },
      );
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    });
  }

  /** One instant: move to the earliest timer and fire everything due then (work it schedules for now included). */
  private step(): void {
    if (!this.timers.some((t) => t.sleeper)) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.t = Math.max(this.t, (this.timers[0] as Timer).at);
    for (let due = this.takeDue(); due; due = this.takeDue()) due.fire();
    this.schedule();
  }

  private takeDue(): Timer | undefined {
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const first = this.timers[0];
    if (!first || first.at > this.t) return undefined;
    this.timers.shift();
    return first;
  }
}
