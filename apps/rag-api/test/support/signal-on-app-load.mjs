// Preloaded with `node --import` by startup-signals.test.ts: when main.js
// starts loading the app's bundle (startup/code-cache.ts publishes on the
// `rag-api:load-app` diagnostics channel just before compiling it), the process
// sends itself SIGNAL_ON_LOAD_SIGNAL, once. The signal thus lands at a known
// point of start-up (while the app's code is being loaded) instead of after a
// guessed delay, which a loaded 2-core machine turns into a coin toss.
import { subscribe } from 'node:diagnostics_channel';

const signal = process.env.SIGNAL_ON_LOAD_SIGNAL ?? 'SIGTERM';
let sent = false;

subscribe('rag-api:load-app', ({ file }) => {
  if (sent) return;
  sent = true;
  process.stdout.write(`[test hook] ${signal} sent while loading ${file}\n`);
  process.kill(process.pid, signal);
});
