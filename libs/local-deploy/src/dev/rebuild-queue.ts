import type { Burst } from './watcher.js';

/**
 * One rebuild at a time: a burst that arrives while one runs queues exactly one more (bursts that arrive meanwhile
 * join it, keeping the earliest save time), which starts when the running one ends.
 */
export class RebuildQueue {
  private running: Promise<void> | undefined;
  private queued: Burst | undefined;

  constructor(private readonly rebuild: (burst: Burst) => Promise<void>) {}

  request(burst: Burst): void {
    if (this.running) {
      this.queued = this.queued
        ? { files: [...new Set([...this.queued.files, ...burst.files])].sort(), firstAt: Math.min(this.queued.firstAt, burst.firstAt) }
        : burst;
      return;
    }
    this.running = this.drain(burst);
  }

  /** Settles when nothing runs or waits (an in-flight rebuild and the one queued behind it are done). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drop what waits: on stop, an in-flight rebuild finishes but a queued one never starts. */
  clearQueued(): void {
    this.queued = undefined;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  private async drain(first: Burst): Promise<void> {
    let next: Burst | undefined = first;
    try {
      while (next) {
        await this.rebuild(next).catch(() => undefined);
        next = this.queued;
        this.queued = undefined;
      }
    } finally {
      this.running = undefined;
    }
  }
}
