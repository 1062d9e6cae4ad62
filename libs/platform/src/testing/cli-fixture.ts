// A command built on runCli for run-cli.test.ts: `--fail=usage|refused|crash|no` picks what its main does.
import { parseFlags } from '../cli/flags.js';
import { EXIT } from '../cli/outcome.js';
import { RefusedError } from '../cli/refusal.js';
import { runCli } from '../cli/run-cli.js';

runCli('fixture', async (argv) => {
  const { values } = parseFlags(argv, { fail: { type: 'string', default: 'no' } });
  if (values.fail === 'refused') throw new RefusedError([{ thing: 'engine', problem: 'not running', fix: 'start it' }]);
  if (values.fail === 'crash') throw new Error('boom\nsecond line');
  return values.fail === 'step' ? EXIT.failed : EXIT.ok;
});
