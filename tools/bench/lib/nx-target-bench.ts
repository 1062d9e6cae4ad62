import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@llmops-rag/platform';
import { median, spread } from './stats.ts';

export interface NxTargetBench {
  /** `project:target`, run as a user runs it: through Nx, NX_DAEMON=false. */
  target: string;
  /** Working data deleted before each cold run (relative to the root), so terraform init and the rest really run. */
  coldDataDirs: readonly string[];
  /** Default budgets, overridable with --cold-budget-ms / --cached-budget-ms. */
  coldBudgetMs: number;
  cachedBudgetMs: number;
  /** What a successful run must print beyond exit 0 (a run that did nothing is no measurement). */
  mustPrint?: RegExp;
}

const CACHE_HIT = /Nx read the output from the cache|existing outputs match the cache/;

/**
 * Wall time of one Nx target, cold (`--skip-nx-cache`, its working data removed) and cached (after a priming run; each
 * must be a cache hit), `--runs` times each. Prints every run with the load average (a shared machine), the medians and
 * their ranges; exit code 1 when a median is over its budget. A failed run throws.
 */
export function benchNxTarget(bench: NxTargetBench): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      'cold-budget-ms': { type: 'string', default: String(bench.coldBudgetMs) },
      'cached-budget-ms': { type: 'string', default: String(bench.cachedBudgetMs) },
    },
  });
  const root = workspaceRoot(import.meta.dirname);
  const runs = Number(values.runs);
  const bin = join(root, 'node_modules/.bin');
  const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };

  const nxRun = (extra: string[]): { ms: number; cacheHit: boolean } => {
    const started = performance.now();
    const run = spawnSync(join(bin, 'nx'), ['run', bench.target, '--outputStyle=static', ...extra], { cwd: root, env, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (run.status !== 0) {
      process.stderr.write(run.stdout + run.stderr);
      throw new Error(`nx run ${bench.target} ${extra.join(' ')} exited ${run.status}`);
    }
    if (bench.mustPrint && !bench.mustPrint.test(run.stdout)) throw new Error(`nx run ${bench.target} did not print ${bench.mustPrint}:\n${run.stdout}`);
    return { ms, cacheHit: CACHE_HIT.test(run.stdout) };
  };
  const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';

  process.stdout.write(
    `${bench.target} bench, ${runs} runs each; LLMOPS_TF_PLUGIN_MIRROR=${process.env.LLMOPS_TF_PLUGIN_MIRROR ?? '<unset: terraform downloads the provider>'}\n`,
  );
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const dir of bench.coldDataDirs) rmSync(join(root, dir), { recursive: true, force: true });
    const load = loadAverage();
    const { ms } = nxRun(['--skip-nx-cache']);
    cold.push(ms);
    process.stdout.write(`cold   ${i + 1}/${runs}: ${ms.toFixed(0)} ms (load average ${load})\n`);
  }
  const prime = nxRun([]);
  process.stdout.write(`prime       : ${prime.ms.toFixed(0)} ms (${prime.cacheHit ? 'cache hit' : 'cache miss, stored'})\n`);
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) {
    const load = loadAverage();
    const { ms, cacheHit } = nxRun([]);
    if (!cacheHit) throw new Error('expected an Nx cache hit on an unchanged workspace');
    cached.push(ms);
    process.stdout.write(`cached ${i + 1}/${runs}: ${ms.toFixed(0)} ms (cache hit, load average ${load})\n`);
  }

  const coldBudget = Number(values['cold-budget-ms']);
  const cachedBudget = Number(values['cached-budget-ms']);
  const coldOk = median(cold) <= coldBudget;
  const cachedOk = median(cached) <= cachedBudget;
  process.stdout.write(
    `cold   median ${median(cold).toFixed(0)} ms (${spread(cold)} ms) — ${coldOk ? 'within' : 'OVER'} the ${coldBudget} ms budget\n` +
      `cached median ${median(cached).toFixed(0)} ms (${spread(cached)} ms) — ${cachedOk ? 'within' : 'OVER'} the ${cachedBudget} ms budget\n`,
  );
  process.exitCode = coldOk && cachedOk ? 0 : 1;
}
