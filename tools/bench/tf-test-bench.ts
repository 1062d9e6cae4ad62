import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@llmops-rag/platform';
import { median } from './lib/stats.ts';

/**
 * Wall time of `nx run infra-eks:tf-test` (terraform test with mock_provider
 * "aws": a mocked plan and a mocked apply for dev and prod), cold and cached,
 * as a user runs it (through Nx, NX_DAEMON=false):
 * - cold: `--skip-nx-cache`, and tf-test's terraform data dir
 *   (tmp/infra-eks/tf-test-data) deleted first, so synth, test generation,
 *   terraform init and both `terraform test` runs all happen;
 * - cached: a plain run after one priming run; it must be an Nx cache hit.
 *
 *   LLMOPS_TF_PLUGIN_MIRROR=/opt/tf-plugins npm run bench:tf-test -- [--runs 3] [--cold-budget-ms 30000] [--cached-budget-ms 2000]
 *
 * Prints every run (with the load average, this is a shared machine) and the
 * medians; exit 1 when a median is over its budget or a run fails.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'cold-budget-ms': { type: 'string', default: '30000' },
    'cached-budget-ms': { type: 'string', default: '2000' },
  },
});

const root = workspaceRoot();
const runs = Number(values.runs);
const bin = join(root, 'node_modules/.bin');
const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
const TARGET = 'infra-eks:tf-test';

function loadAverage(): string {
  return spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ')[0] ?? '?';
}

function nxTfTest(extra: string[]): { ms: number; cacheHit: boolean } {
  const started = performance.now();
  const run = spawnSync(join(bin, 'nx'), ['run', TARGET, '--outputStyle=static', ...extra], { cwd: root, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`nx run ${TARGET} ${extra.join(' ')} exited ${run.status}`);
  }
  if (!/infra-eks tf-test ok: 4 runs passed on 2 stacks/.test(run.stdout)) throw new Error(`nx run ${TARGET} did not report 4 passed runs:\n${run.stdout}`);
  return { ms, cacheHit: /Nx read the output from the cache|existing outputs match the cache/.test(run.stdout) };
}

process.stdout.write(
  `${TARGET} bench, ${runs} runs each; LLMOPS_TF_PLUGIN_MIRROR=${process.env.LLMOPS_TF_PLUGIN_MIRROR ?? '<unset: terraform downloads the provider>'}\n`,
);
const cold: number[] = [];
for (let i = 0; i < runs; i++) {
  rmSync(join(root, 'tmp/infra-eks/tf-test-data'), { recursive: true, force: true });
  const load = loadAverage();
  const { ms } = nxTfTest(['--skip-nx-cache']);
  cold.push(ms);
  process.stdout.write(`cold   ${i + 1}/${runs}: ${ms.toFixed(0)} ms (load average ${load})\n`);
}
const prime = nxTfTest([]);
process.stdout.write(`prime       : ${prime.ms.toFixed(0)} ms (${prime.cacheHit ? 'cache hit' : 'cache miss, stored'})\n`);
const cached: number[] = [];
for (let i = 0; i < runs; i++) {
  const load = loadAverage();
  const { ms, cacheHit } = nxTfTest([]);
  if (!cacheHit) throw new Error('expected an Nx cache hit on an unchanged workspace');
  cached.push(ms);
  process.stdout.write(`cached ${i + 1}/${runs}: ${ms.toFixed(0)} ms (cache hit, load average ${load})\n`);
}

const coldBudget = Number(values['cold-budget-ms']);
const cachedBudget = Number(values['cached-budget-ms']);
const coldOk = median(cold) <= coldBudget;
const cachedOk = median(cached) <= cachedBudget;
const range = (list: number[]) => `${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)} ms`;
process.stdout.write(
  `cold   median ${median(cold).toFixed(0)} ms (${range(cold)}) — ${coldOk ? 'within' : 'OVER'} the ${coldBudget} ms budget\n` +
    `cached median ${median(cached).toFixed(0)} ms (${range(cached)}) — ${cachedOk ? 'within' : 'OVER'} the ${cachedBudget} ms budget\n`,
);
process.exitCode = coldOk && cachedOk ? 0 : 1;
