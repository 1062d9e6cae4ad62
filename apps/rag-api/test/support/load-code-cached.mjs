// A process of its own that loads one CommonJS file with startup/code-cache.ts,
// as main.js loads app-bundle.js (code-cache.test.ts runs it with
// process.execPath; Node strips the module's types).
//
//   node load-code-cached.mjs <file> [step...]
//
// Steps run in order after the load: `save` writes <file>.cache
// (saveCodeCache), any other word calls that export of the file and records
// what it returned or threw. Prints one JSON line on stdout:
//   { cache, exports, events, results, loadError? }
// `events` is the order in which the `rag-api:load-app` channel and the file's
// own top-level code (pushing 'file ran' to globalThis.codeCacheEvents) ran.
import { subscribe } from 'node:diagnostics_channel';
import { loadCodeCached } from '../../src/startup/code-cache.ts';

const [file, ...steps] = process.argv.slice(2);
const events = [];
globalThis.codeCacheEvents = events;
subscribe('rag-api:load-app', (message) => events.push({ 'rag-api:load-app': message }));

const errorOf = (error) => ({ message: error.message, stack: error.stack });
const report = { events, results: {} };
try {
  const loaded = loadCodeCached(file);
  report.cache = loaded.cache;
  report.exports = loaded.exports;
  for (const step of steps) {
    if (step === 'save') {
      loaded.saveCodeCache();
      continue;
    }
    try {
      report.results[step] = { returned: loaded.exports[step]() };
    } catch (error) {
      report.results[step] = { threw: errorOf(error) };
    }
  }
} catch (error) {
  report.loadError = errorOf(error);
}
process.stdout.write(`${JSON.stringify(report)}\n`);
