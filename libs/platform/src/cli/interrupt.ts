import { constants } from 'node:os';

/** The signals that ask a command to stop: Ctrl-C, and what `kill`, systemd, CI runners and Nx send. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** A shell's exit code for a process a signal ended: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function exitCodeForSignal(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

export interface InterruptOptions {
  /** What a second signal leaves behind, for its one line, e.g. "the release stays pending; the next deploy recovers it". */
  leftBehind: string;
  /**
   * Signals within this long of the first are copies of it, not a second Ctrl-C: a terminal's Ctrl-C reaches every
   * process of the foreground group (nx, tsx, node), and tsx relays what it gets to its child. Default 1500 ms.
   */
  duplicateWindowMs?: number;
}

export interface Interruption {
  /** Aborted at the first SIGINT/SIGTERM, with the signal's name as its reason. */
  readonly signal: AbortSignal;
  /** The first stop signal, once one came. */
  readonly received: StopSignal | undefined;
  /** Removes the handlers (the default action, ending the process, applies again). */
  dispose(): void;
}

/**
 * Turns SIGINT/SIGTERM into an AbortSignal for a command that must finish what it started (restore, record) before
 * it exits. The first signal aborts and prints what happens next; copies of it that arrive together are ignored; a
 * later one calls `quit` at once with its exit code, after a line saying what is left behind.
 */
export function watchInterrupts(
  options: InterruptOptions,
  quit: (signal: StopSignal, reason: string) => void,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Interruption {
  const controller = new AbortController();
  const window = options.duplicateWindowMs ?? 1500;
  let first: { signal: StopSignal; at: number } | undefined;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = () => {
      const now = performance.now();
      if (!first) {
        first = { signal: name, at: now };
        write(`\n■ ${name}: stopping at the next safe point (send it again to quit at once)`);
        controller.abort(name);
        return;
      }
      if (now - first.at < window) return;
      const reason = `${name} again: quit at once; ${options.leftBehind}`;
      write(`\n■ ${reason}`);
      quit(name, reason);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    get received() {
      return first?.signal;
    },
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
