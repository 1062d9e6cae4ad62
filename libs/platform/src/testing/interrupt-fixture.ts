// An interruptible command built on runCli for interrupt.test.ts: it "works" (a timer) until a stop signal, then
// takes --cleanup-ms to finish what it started, prints what it did and exits 130/143 with the outcome line.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseFlags } from '../cli/flags.js';
import { EXIT } from '../cli/outcome.js';
import { interruptedExit, runCli } from '../cli/run-cli.js';

runCli(
  'fixture',
  async (argv, context) => {
    const { signal } = context;
    const { values } = parseFlags(argv, { 'cleanup-ms': { type: 'string', default: '300' }, 'work-ms': { type: 'string', default: '60000' } });
    console.log('working');
    await sleep(Number(values['work-ms']), undefined, { signal }).catch(() => undefined);
    if (!signal.aborted) return EXIT.ok;
    console.log(`stopped by ${String(signal.reason)}; cleaning up`);
    await sleep(Number(values['cleanup-ms']));
    console.log('cleaned up');
    return interruptedExit(context, EXIT.failed);
  },
  process.argv.slice(2),
  { interruptible: { leftBehind: 'the cleanup did not finish' } },
);
