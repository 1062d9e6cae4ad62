// Preloaded with `node --import` by startup-signals.test.ts: when the process
// resolves a module whose specifier matches SIGNAL_ON_IMPORT_PATTERN, it sends
// itself SIGNAL_ON_IMPORT_SIGNAL, once. The signal thus lands at a known point
// of start-up (while the app's code is being loaded) instead of after a guessed
// delay, which a loaded 2-core machine turns into a coin toss.
import { registerHooks } from 'node:module';

const pattern = new RegExp(process.env.SIGNAL_ON_IMPORT_PATTERN ?? '$^');
const signal = process.env.SIGNAL_ON_IMPORT_SIGNAL ?? 'SIGTERM';
let sent = false;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!sent && pattern.test(specifier)) {
      sent = true;
      process.stdout.write(`[test hook] ${signal} sent while resolving ${specifier}\n`);
      process.kill(process.pid, signal);
    }
    return nextResolve(specifier, context);
  },
});
