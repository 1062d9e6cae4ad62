import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@llmops-rag/platform';

/**
 * Wall time of `k8s-manifests` synth + validation of both profiles, each run
 * a fresh child process (cold: new Node, no module cache), as `nx run
 * k8s-manifests:synth` runs it minus Nx. Prints every run and the median.
 *
 *   npx tsx tools/bench/synth-bench.ts [--runs 7] [--no-tsx-cache] [--budget-ms 3000]
 *
 * --no-tsx-cache also disables tsx's on-disk transform cache (TSX_DISABLE_CACHE=1),
 * so every TypeScript file is compiled again: the coldest case.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'no-tsx-cache': { type: 'boolean', default: false },
    'budget-ms': { type: 'string', default: '3000' },
  },
});

const root = workspaceRoot();
const runs = Number(values.runs);
const budget = Number(values['budget-ms']);
const tsx = join(root, 'node_modules/.bin/tsx');
const out = mkdtempSync(join(tmpdir(), 'synth-bench-'));
const env = { ...process.env, ...(values['no-tsx-cache'] ? { TSX_DISABLE_CACHE: '1' } : {}) };

const times: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const run = spawnSync(tsx, ['--tsconfig', 'libs/k8s-manifests/tsconfig.json', 'libs/k8s-manifests/src/cmd/synth.ts', '--out', out], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    const ms = performance.now() - started;
    if (run.status !== 0) {
      process.stderr.write(run.stdout + run.stderr);
      throw new Error(`synth exited ${run.status} on run ${i + 1}`);
    }
    times.push(ms);
    process.stdout.write(`run ${i + 1}/${runs}: ${ms.toFixed(0)} ms\n`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const sorted = [...times].sort((a, b) => a - b);
const mid = Math.floor(sorted.length / 2);
const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
const verdict = median <= budget ? 'within' : 'OVER';
process.stdout.write(
  `synth + validation (dev, prod), ${runs} cold processes${values['no-tsx-cache'] ? ', tsx cache off' : ''}: median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms — ${verdict} the ${budget} ms budget\n`,
);
process.exitCode = median <= budget ? 0 : 1;
