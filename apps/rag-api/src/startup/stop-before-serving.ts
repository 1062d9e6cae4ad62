export interface StartupSignals {
  /** A signal arrived while starting: the process is stopping, so start-up must go no further. */
  readonly stopping: boolean;
  /**
   * Hands SIGTERM/SIGINT over (to the graceful shutdown, or back to Node's
   * default). Call it only after the next owner's listeners are on: libuv
   * drops a caught signal whose listener is removed before the event loop
   * delivers it, so there must be no moment with none. Idempotent.
   */
  release(): void;
}

/**
 * Until the API serves, SIGTERM/SIGINT stop it at once: one line on stderr,
 * exit code 0 once that line is written (nothing listens yet, so there is
 * nothing to drain). main.ts installs this before the app's modules are even
 * loaded, so a Kubernetes stop during start-up is logged instead of killing
 * the process silently.
 *
 * Keep this module free of imports: everything it imports is evaluated before
 * the handler exists.
 */
export function stopOnSignalUntilServing(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): StartupSignals {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`rag-api: ${signal} while starting, before serving any request: stopped.\n`, () => process.exit(0));
  };
  for (const signal of signals) process.on(signal, onSignal);
  return {
    get stopping() {
      return stopping;
    },
    release: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

/**
 * One turn of the event loop: libuv reads caught signals from its pipe in the
 * poll phase, before setImmediate callbacks run, so a signal that arrived
 * during synchronous start-up work reaches its listener by the time this resolves.
 */
export function deliverPendingSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
