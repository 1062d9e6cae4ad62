/**
 * `npm test`: lints, type-checks and tests every Nx project (tools/ is the `workspace-tools` project), checks the
 * formatting, then prints one closing line summed over all projects ("Tests: N passed, N failed, N skipped").
 * Skipped tests are counted as skipped, never as passed. Exits non-zero when any lint, type-check, test or the
 * format check fails.
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

/** Every project with a `test` target writes `dist/test-results/<project>.json` (vitest.shared.mts). */
function projectsWithTests(): string[] {
  const listed = spawnSync('npx', ['nx', 'show', 'projects', '--with-target', 'test', '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`could not list the Nx projects with a test target:\n${listed.stderr}`);
  return JSON.parse(listed.stdout) as string[];
}

rmSync(RESULTS, { recursive: true, force: true });
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=stream-without-prefixes', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
const format = spawnSync('npm', ['run', '--silent', 'format:check'], { cwd: ROOT, stdio: 'inherit' });
if (format.status !== 0) console.log("formatting: the files listed above differ from Prettier's output (fix: npx prettier --write <file>)");

let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];
for (const project of projectsWithTests()) {
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
process.exit(nx.status === 0 && format.status === 0 ? 0 : 1);
