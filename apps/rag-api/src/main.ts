import { stopOnSignalUntilServing } from './startup/stop-before-serving.js';
import { loadAppBundle } from './startup/load-app-bundle.js';

/*
 * Process entry. The start-up signal handler goes in first, before the app's
 * code is even read: the app is a bundle of its own (app-bundle.js, next to
 * this file) loaded with its V8 code cache (startup/code-cache.ts), so a
 * SIGTERM at any point of start-up is logged and ends the process cleanly
 * instead of killing it silently.
 */
const startup = stopOnSignalUntilServing();

async function main(): Promise<void> {
  const { start } = loadAppBundle().exports;
  await start(startup);
}

main()
  .catch((error: unknown) => {
    process.exitCode = 1;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`rag-api: failed to start on an unexpected error (not a configuration problem; the trace is for a bug report):\n${detail}\n`);
  })
  // Serving (the graceful shutdown owns the signals now) or refused: either way no longer starting.
  .finally(() => startup.release());
