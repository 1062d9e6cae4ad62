import { setTimeout as delay } from 'node:timers/promises';
import type { Checklist } from './checklist.js';
import type { Output } from './types.js';

/** The signal's name (`SIGINT`, `SIGTERM`) as the command's AbortSignal carries it. */
export function signalName(signal: AbortSignal): string {
  return String(signal.reason ?? 'a signal');
}

/** Thrown at a safe point before the first change to the cluster when the command was interrupted: there is nothing to restore. */
export class StoppedBeforeChange extends Error {
  readonly signal: string;
  constructor(signal: AbortSignal) {
    super(`interrupted by ${signalName(signal)} before anything was changed in the cluster: nothing to restore`);
    this.signal = signalName(signal);
    this.name = 'StoppedBeforeChange';
  }
}

/** At a safe point between steps: stops the command there when it was interrupted before changing anything. */
export function stopIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StoppedBeforeChange(signal);
}

/**
 * Prints the error that ended a command's steps. When the command was interrupted before its first change (`changing`
 * false), a step the same Ctrl-C killed (a build, an image load) failed because of it: the interruption is what it
 * says, with a ✗ `Stopped by SIGINT` on the checklist.
 */
export function reportStop(error: unknown, signal: AbortSignal | undefined, changing: boolean, out: Output, checklist: Checklist): void {
  const stopped = error instanceof StoppedBeforeChange ? error : signal?.aborted && !changing ? new StoppedBeforeChange(signal) : undefined;
  if (!stopped) {
    out.line(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  out.line(`\n■ ${stopped.message}`);
  checklist.record({ name: `Stopped by ${stopped.signal}`, ok: false, durationMs: 0, detail: 'before the first change: nothing to restore' });
}

/** `{ interrupted: 'SIGINT' }` for a result when the signal fired, else nothing. */
export function interruptedBy(signal: AbortSignal | undefined): { interrupted?: string } {
  return signal?.aborted ? { interrupted: signalName(signal) } : {};
}

/**
 * After a step failed: a moment for a signal that arrived with the failure. A terminal's Ctrl-C reaches the step's
 * child (docker, minikube, nx) and this process at once, and Node may see the child's exit first; without the wait
 * the failure would be reported as the step's own (a refusal) instead of the interruption.
 */
export async function settleSignal(signal: AbortSignal | undefined): Promise<void> {
  if (signal && !signal.aborted) await delay(150);
}
