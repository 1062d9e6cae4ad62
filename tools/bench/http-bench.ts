/**
 * Throughput of the built rag-api bundle against a bare node:http server with
 * the same routes, in one process tree, reported as ratios.
 *
 *   npm run bench:http            (builds the bundle through Nx, cached)
 *   BENCH_SECONDS=10 BENCH_ROUNDS=5 npm run bench:http
 *
 * Rounds alternate between servers so machine noise hits both alike; each
 * server runs alone during its round. Target: rag-api ≥ 0.85× bare on
 * /health/live; per-request logging (LOG_LEVEL=debug) is measured too.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startServer, type RunningServer } from './lib/servers.ts';
import { median, ratio } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = `${ROOT}/dist/apps/rag-api/main.js`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET = 0.85;

interface Contender {
  label: string;
  start: () => Promise<RunningServer>;
}

const contenders: Contender[] = [
  { label: 'bare node:http', start: () => startServer('bare', [`${ROOT}/tools/bench/bare-http-server.ts`]) },
  { label: 'rag-api (LOG_LEVEL=info)', start: () => startServer('rag-api', [BUNDLE], { LOG_LEVEL: 'info' }) },
  { label: 'rag-api (LOG_LEVEL=debug, every request logged)', start: () => startServer('rag-api-debug', [BUNDLE], { LOG_LEVEL: 'debug' }) },
];

async function load(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

async function main(): Promise<void> {
  console.log('» building the bundle (nx run rag-api:build, cached)…');
  execFileSync('npx', ['nx', 'run', 'rag-api:build', '--outputStyle=static'], { cwd: ROOT, stdio: 'ignore' });
  console.log(`» ${ROUNDS} rounds × ${SECONDS}s per server, ${CONNECTIONS} connections, GET /health/live, node ${process.version}`);

  const samples = new Map<string, number[]>(contenders.map((c) => [c.label, []]));
  const peakRss = new Map<string, number>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const contender of contenders) {
      const server = await contender.start();
      await load(`${server.url}/health/live`, 1); // warm-up (JIT)
      const rps = await load(`${server.url}/health/live`, SECONDS);
      peakRss.set(contender.label, Math.max(peakRss.get(contender.label) ?? 0, server.peakRssMiB()));
      await server.stop();
      samples.get(contender.label)?.push(rps);
      console.log(`  round ${round}  ${contender.label.padEnd(48)} ${Math.round(rps).toLocaleString('en')} req/s`);
    }
  }

  const baseline = median(samples.get(contenders[0]!.label)!);
  console.log('\nmedian req/s and ratio to the bare server:');
  for (const contender of contenders) {
    const value = median(samples.get(contender.label)!);
    console.log(
      `  ${contender.label.padEnd(48)} ${Math.round(value).toLocaleString('en').padStart(8)} req/s  ${ratio(value, baseline)}  peak RSS ${peakRss.get(contender.label)} MiB`,
    );
  }
  const api = median(samples.get(contenders[1]!.label)!) / baseline;
  const debug = median(samples.get(contenders[2]!.label)!) / median(samples.get(contenders[1]!.label)!);
  console.log(`\nrag-api / bare = ${api.toFixed(2)} (target ≥ ${TARGET}) ${api >= TARGET ? 'MET' : 'NOT MET'}`);
  console.log(`request logging on / off = ${debug.toFixed(2)} (must not halve: ≥ 0.50) ${debug >= 0.5 ? 'MET' : 'NOT MET'}`);
  if (api < TARGET || debug < 0.5) process.exitCode = 1;
}

await main();
