import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@llmops-rag/platform';

/**
 * Wall time of `nx run infra-eks:validate`, cold and cached, as a user runs it
 * (through Nx, NX_DAEMON=false):
 * - cold: `--skip-nx-cache`, and the terraform data dir (tmp/infra-eks/terraform-data)
 *   deleted first, so synth, terraform init and validate all run;
 * - cached: a plain run after one priming run; it must be an Nx cache hit.
 *
 *   LLMOPS_TF_PLUGIN_MIRROR=/opt/tf-plugins npx tsx tools/bench/validate-bench.ts [--runs 3] [--cold-budget-ms 20000] [--cached-budget-ms 2000]
 *
 * Prints every run and the medians; exit 1 when a median is over its budget
 * or a run fails.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'cold-budget-ms': { type: 'string', default: '20000' },
    'cached-budget-ms': { type: 'string', default: '2000' },
  },
});

const root = workspaceRoot();
const runs = Number(values.runs);
const bin = join(root, 'node_modules/.bin');
const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };

function nxValidate(extra: string[]): { ms: number; cacheHit: boolean } {
  const started = performance.now();
  const run = spawnSync(join(bin, 'nx'), ['run', 'infra-eks:validate', '--outputStyle=static', ...extra], { cwd: root, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`nx run infra-eks:validate ${extra.join(' ')} exited ${run.status}`);
  }
  return { ms, cacheHit: /Nx read the output from the cache|existing outputs match the cache|1\/1 hit/.test(run.stdout) };
}

function median(list: number[]): number {
  const s = [...list].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

process.stdout.write(
  `infra-eks:validate bench, ${runs} runs each; LLMOPS_TF_PLUGIN_MIRROR=${process.env.LLMOPS_TF_PLUGIN_MIRROR ?? '<unset: terraform downloads the provider>'}\n`,
);
const cold: number[] = [];
for (let i = 0; i < runs; i++) {
  rmSync(join(root, 'tmp/infra-eks/terraform-data'), { recursive: true, force: true });
  const { ms } = nxValidate(['--skip-nx-cache']);
  cold.push(ms);
  process.stdout.write(`cold   ${i + 1}/${runs}: ${ms.toFixed(0)} ms\n`);
}
const prime = nxValidate([]);
process.stdout.write(`prime       : ${prime.ms.toFixed(0)} ms (${prime.cacheHit ? 'cache hit' : 'cache miss, stored'})\n`);
const cached: number[] = [];
for (let i = 0; i < runs; i++) {
  const { ms, cacheHit } = nxValidate([]);
  if (!cacheHit) throw new Error('expected an Nx cache hit on an unchanged workspace');
  cached.push(ms);
  process.stdout.write(`cached ${i + 1}/${runs}: ${ms.toFixed(0)} ms (cache hit)\n`);
}

const coldBudget = Number(values['cold-budget-ms']);
const cachedBudget = Number(values['cached-budget-ms']);
const coldOk = median(cold) <= coldBudget;
const cachedOk = median(cached) <= cachedBudget;
process.stdout.write(
  `cold   median ${median(cold).toFixed(0)} ms — ${coldOk ? 'within' : 'OVER'} the ${coldBudget} ms budget\n` +
    `cached median ${median(cached).toFixed(0)} ms — ${cachedOk ? 'within' : 'OVER'} the ${cachedBudget} ms budget\n`,
);
process.exitCode = coldOk && cachedOk ? 0 : 1;
