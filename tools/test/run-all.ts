/**
 * `npm test`: type-checks tools/, type-checks and tests every Nx project, then prints one closing
 * line summed over all projects ("Tests: N passed, N failed, N skipped").
 * Skipped tests are counted as skipped, never as passed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = `${ROOT}dist/test-results`;
const PROJECTS = ['contract', 'platform', 'config', 'rag-api', 'k8s-manifests', 'local-deploy', 'pod-rehearsal', 'infra-eks'];

rmSync(RESULTS, { recursive: true, force: true });
// tools/ is no Nx project: type-check it here (benchmarks, image and CI scripts).
const tools = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
if (tools.status !== 0) console.log('tools/: type errors (above)');
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'typecheck', 'test', '--outputStyle=stream-without-prefixes', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
for (const project of PROJECTS) {
  const file = `${RESULTS}/${project}.json`;
  if (!existsSync(file)) {
    missing.push(project);
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
}
if (missing.length > 0) console.log(`no test results from: ${missing.join(', ')} (did their test target run?)`);
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(tools.status === 0 ? (nx.status ?? 1) : 1);
