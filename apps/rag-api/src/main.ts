import { stopOnSignalUntilServing } from './startup/stop-before-serving.js';

/*
 * Process entry. The start-up signal handler goes in first, before the app's
 * modules are loaded: they are imported lazily (esbuild keeps a dynamic
 * import of bundled code lazy), so a SIGTERM at any point of start-up is
 * logged and ends the process cleanly instead of killing it silently.
 */
const startup = stopOnSignalUntilServing();
try {
  const { start } = await import('./startup/start.js');
  await start(startup);
} catch (error) {
  process.exitCode = 1;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`rag-api: failed to start on an unexpected error (not a configuration problem; the trace is for a bug report):\n${detail}\n`);
} finally {
  // Serving (the graceful shutdown owns the signals now) or refused: either way no longer starting.
  startup.release();
}
