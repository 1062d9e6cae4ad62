import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { whichOnPath } from '../runner.js';
import { workspaceRoot } from '../workspace-root.js';
import { EXIT, outcomeLine } from './outcome.js';
import { exitCodeForSignal } from './interrupt.js';

const root = workspaceRoot();
const fixture = join(import.meta.dirname, '../testing/interrupt-fixture.ts');

/**
 * The interruptible fixture under tsx, in its own process group as a terminal runs a foreground job: a signal sent to
 * the group reaches tsx and node (and tsx relays its copy to node), as a terminal's Ctrl-C does.
 */
function start(...args: string[]) {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', 'libs/platform/tsconfig.json', fixture, ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    group: () => -(child.pid as number),
    output: () => ({ stdout, stderr }),
    until: async (text: string) => {
      for (let i = 0; i < 300 && !stdout.includes(text); i++) await sleep(100);
      expect(stdout, stderr).toContain(text);
    },
    exit: async () => {
      const [code] = await exited;
      return { code, stdout, stderr, last: stderr.trimEnd().split('\n').at(-1) };
    },
  };
}

describe('interruptible commands (runCli with `interruptible`)', () => {
  it('exit codes are 128 + the signal number, named interrupted', () => {
    expect([exitCodeForSignal('SIGINT'), exitCodeForSignal('SIGTERM')]).toEqual([EXIT.sigint, EXIT.sigterm]);
    expect(outcomeLine({ command: 'deploy', exitCode: 130 })).toBe('deploy-outcome: interrupted exit=130');
    expect(outcomeLine({ command: 'deploy', exitCode: 143 })).toBe('deploy-outcome: interrupted exit=143');
  });

  it('Ctrl-C to the process group: one interruption (copies ignored), the cleanup finishes, exit 130 with the outcome line', async () => {
    const run = start('--cleanup-ms=2500');
    await run.until('working');
    process.kill(run.group(), 'SIGINT');
    await sleep(300);
    // tsx relays its copy too; both land well inside the window: still the same Ctrl-C.
    process.kill(run.group(), 'SIGINT');
    const result = await run.exit();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).toContain('stopped by SIGINT; cleaning up\ncleaned up');
    expect(result.stderr.match(/■ SIGINT: stopping/g)).toHaveLength(1);
    expect(result.stderr).not.toContain('SIGINT again');
    expect(result.last).toBe('fixture-outcome: interrupted exit=130');
  }, 60_000);

  it('SIGTERM (kill, CI, Nx without a terminal): the same, exit 143', async () => {
    const run = start('--cleanup-ms=200');
    await run.until('working');
    process.kill(run.group(), 'SIGTERM');
    const result = await run.exit();
    expect(result.code, result.stderr).toBe(143);
    expect(result.stdout).toContain('cleaned up');
    expect(result.last).toBe('fixture-outcome: interrupted exit=143');
  }, 60_000);

  it('a second Ctrl-C later quits at once, with one line saying what is left behind and the outcome line', async () => {
    const run = start('--cleanup-ms=60000');
    await run.until('working');
    process.kill(run.group(), 'SIGINT');
    await run.until('cleaning up');
    await sleep(2000);
    const sent = performance.now();
    process.kill(run.group(), 'SIGINT');
    const result = await run.exit();
    expect(performance.now() - sent).toBeLessThan(5000);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).not.toContain('cleaned up');
    expect(result.stderr).toContain('■ SIGINT again: quit at once; the cleanup did not finish');
    expect(result.last).toBe('fixture-outcome: interrupted exit=130');
  }, 60_000);
});

/**
 * The same command as an Nx target (`nx run platform:interrupt-fixture`). In a terminal Nx runs the task in a
 * pseudo-terminal and passes Ctrl-C on to it as SIGINT, then waits. Without one (CI, a script, piped output) Nx runs
 * the task in its own process group, answers its own SIGINT with SIGTERM to the task's processes (leaves first),
 * silences its own output from then on, and SIGKILLs what is left after NX_PROCESS_KILL_GRACE_PERIOD (5 s default).
 */
describe('interruptible commands under nx run', () => {
  const nxEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', ...extra };
    delete env.CI;
    return env;
  };
  const nxArgs = (outcomeFile: string, cleanupMs: number) => [
    join(root, 'node_modules/nx/dist/bin/nx.js'),
    'run',
    'platform:interrupt-fixture',
    '--',
    `--cleanup-ms=${cleanupMs}`,
    `--outcome-file=${outcomeFile}`,
  ];
  const scratch = mkdtempSync(join(tmpdir(), 'interrupt-nx-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.skipIf(!whichOnPath('script'))(
    'in a terminal (a pty from script(1)): Ctrl-C reaches the task as SIGINT; it cleans up and says so',
    async () => {
      const file = join(scratch, 'tty.json');
      const command = [process.execPath, ...nxArgs(file, 2000)].map((a) => `'${a}'`).join(' ');
      const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: root, env: nxEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // The terminal's Ctrl-C: the ETX byte typed into the pty.
        if (output.includes('working') && !child.stdin.writableEnded) setTimeout(() => child.stdin.end('\x03'), 300);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await once(child, 'exit');
      expect(output).toMatch(/■ SIGINT: stopping[^]*cleaned up[^]*fixture-outcome: interrupted exit=130/);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ outcome: 'interrupted', exitCode: 130 });
    },
    120_000,
  );

  it('without a terminal: Nx turns SIGINT into SIGTERM; the task cleans up within the grace period and writes its outcome file', async () => {
    const file = join(scratch, 'piped.json');
    // A cleanup longer than Nx's 5 s default: NX_PROCESS_KILL_GRACE_PERIOD is what gives it time (docs/flags.md).
    const nx = spawn(process.execPath, nxArgs(file, 6000), { cwd: root, env: nxEnv({ NX_PROCESS_KILL_GRACE_PERIOD: '60000' }), detached: true });
    let output = '';
    nx.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    nx.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 600 && !output.includes('working'); i++) await sleep(100);
    process.kill(-(nx.pid as number), 'SIGINT');
    const [code] = (await once(nx, 'exit')) as [number | null];
    expect(code).toBe(130);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ command: 'fixture', outcome: 'interrupted', exitCode: 143 });
  }, 120_000);
});
