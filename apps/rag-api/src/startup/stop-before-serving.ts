export interface StartupSignals {
  /** Hands SIGTERM/SIGINT over to the graceful shutdown (or back to Node's default). Idempotent. */
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
    release: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
