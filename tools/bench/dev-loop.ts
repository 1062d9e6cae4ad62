/**
 * The dev loop (`nx run k8s-manifests:dev`) measured on the path that runs without a cluster, per stage:
 *
 *   npm run bench:dev-loop [-- --rounds 5 --budget-ms 10000 --nx-daemon]
 *
 * save (a real edit of apps/rag-api/src/routes/root.ts: `GET /` gains a header with the round's marker) →
 * `nx run rag-api:docker` as the loop's deploy runs it (Nx start, bundle, image = docker build + docker save, load
 * into the engine) → the pod rehearsal of that image ID (the Deployment's env, limits, securityContext and probes
 * in Docker: tsx start, plan, admit, docker run) → the first `GET /` carrying the marker (the new code answering)
 * and the pod Ready on the kubelet's probe schedule. Median and range per stage over the rounds; exit 1 when the
 * median save → new response is over the budget.
 *
 * It works on a copy of the committed tree (`git archive HEAD`, node_modules shared), so the checkout is never
 * changed. The Docker engine is shared: the copy's builds tag llmops-rag-api:latest and :<version> as every image
 * build does; at the end the tags go back to the image they named before (unless someone else re-pointed them
 * meanwhile) and the bench's own images are removed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_VERSION, IMAGE_REPOSITORY } from '@llmops-rag/contract';
import { workspaceRoot } from '@llmops-rag/platform';
import { devLoopRound, type RoundTimes } from './lib/dev-loop-round.ts';
import { median, spread } from './lib/stats.ts';
import { timedSpawn } from './lib/timed-process.ts';
import { copyOfHead } from './lib/workspace-copy.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, 'budget-ms': { type: 'string', default: '10000' }, 'nx-daemon': { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds);
const budgetMs = Number(values['budget-ms']);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds=${values.rounds}: expected a whole number ≥ 1`);

const ROOT = workspaceRoot(import.meta.dirname);
const TAGS = [`${IMAGE_REPOSITORY}:latest`, `${IMAGE_REPOSITORY}:${APP_VERSION}`];
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
const imageOf = (ref: string): string | undefined => {
  try {
    return execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/** The stages, each as [name, from, to] over a round's times. */
const STAGES: readonly [string, (t: RoundTimes) => number][] = [
  ['Nx start (graph, hashes)', (t) => t.bundleStart - t.saved],
  ['bundle (rag-api:build, esbuild)', (t) => t.imageStart - t.bundleStart],
  ['image (docker-archive: build + save)', (t) => t.loadStart - t.imageStart],
  ['  of which docker build', (t) => t.dockerBuildMs ?? Number.NaN],
  ['  of which docker save (archive)', (t) => t.dockerSaveMs ?? Number.NaN],
  ['load (rag-api:docker, Nx exit)', (t) => t.imageDone - t.loadStart],
  ['rehearsal start (tsx, plan, admit, run)', (t) => t.containerStarted - t.imageDone],
  ['  of which docker run', (t) => t.dockerRunMs ?? Number.NaN],
  ['container → new response', (t) => t.answered - t.containerStarted],
  ['SAVE → NEW RESPONSE', (t) => t.answered - t.saved],
  ['container → pod Ready (probe schedule)', (t) => t.podReady - t.containerStarted],
  ['save → pod Ready', (t) => t.podReady - t.saved],
];

const before = new Map(TAGS.map((tag) => [tag, imageOf(tag)]));
const benchImages = new Set<string>();
const copy = copyOfHead(ROOT, 'dev-loop-bench-');
const env = {
  ...process.env,
  DOCKER_BUILDKIT: '0',
  // --nx-daemon: what a long-running loop could use to skip Nx's start-up work on each save.
  NX_DAEMON: values['nx-daemon'] ? 'true' : 'false',
  NX_TUI: 'false',
  NX_NO_CLOUD: 'true',
  PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
};
try {
  process.stdout.write(
    `dev-loop bench: ${rounds} rounds in a copy of HEAD (${copy.dir}), Nx daemon ${env.NX_DAEMON === 'true' ? 'on' : 'off'}; load average ${loadAverage()}\n`,
  );
  // Warm-up: what a developer has before the first save (manifests synthesized, Nx cache and Docker layers warm).
  for (const target of ['k8s-manifests:synth', 'rag-api:docker']) {
    const run = timedSpawn(join(ROOT, 'node_modules/.bin/nx'), ['run', target, '--outputStyle=static'], { cwd: copy.dir, env });
    if ((await run.exited) !== 0)
      throw new Error(
        `warm-up nx run ${target} failed:\n${run.lines
          .map((l) => l.text)
          .join('\n')
          .slice(-3000)}`,
      );
  }
  benchImages.add((JSON.parse(readFileSync(join(copy.dir, 'dist/images/llmops-rag-api.json'), 'utf8')) as { id: string }).id);
  const warm = await devLoopRound(copy.dir, env, 'warm-up');
  benchImages.add(warm.imageId);
  process.stdout.write(`warm-up round: save → new response ${(warm.answered - warm.saved).toFixed(0)} ms (not counted)\n`);

  const results: RoundTimes[] = [];
  for (let i = 0; i < rounds; i++) {
    const load = loadAverage();
    const times = await devLoopRound(copy.dir, env, `round-${i + 1}-${Date.now().toString(36)}`);
    benchImages.add(times.imageId);
    results.push(times);
    process.stdout.write(
      `round ${i + 1}/${rounds}: save → new response ${(times.answered - times.saved).toFixed(0)} ms, → pod Ready ${(times.podReady - times.saved).toFixed(0)} ms; image ${times.imageId.slice(7, 19)} (load average ${load})\n`,
    );
  }

  const width = Math.max(...STAGES.map(([name]) => name.length)) + 2;
  process.stdout.write(`\n${'stage'.padEnd(width)}${'median ms'.padStart(10)}  range ms\n`);
  for (const [name, measure] of STAGES) {
    const samples = results.map(measure).filter((v) => Number.isFinite(v));
    if (samples.length === 0) continue;
    process.stdout.write(`${name.padEnd(width)}${median(samples).toFixed(0).padStart(10)}  ${spread(samples)}\n`);
  }
  const total = median(results.map((t) => t.answered - t.saved));
  const ok = total <= budgetMs;
  process.stdout.write(`\nsave → new response: median ${total.toFixed(0)} ms — ${ok ? 'within' : 'OVER'} the ${budgetMs} ms budget\n`);
  process.exitCode = ok ? 0 : 1;
} finally {
  if (env.NX_DAEMON === 'true') await timedSpawn(join(ROOT, 'node_modules/.bin/nx'), ['daemon', '--stop'], { cwd: copy.dir, env }).exited;
  copy.remove();
  for (const [tag, id] of before) {
    const now = imageOf(tag);
    if (id && now && now !== id && benchImages.has(now)) execFileSync('docker', ['tag', id, tag]);
  }
  for (const id of benchImages) {
    if (![...before.values()].includes(id)) {
      try {
        execFileSync('docker', ['rmi', id], { stdio: 'ignore' });
      } catch {
        // still tagged by someone else's build, or in use
      }
    }
  }
}
