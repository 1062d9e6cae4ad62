import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceRoot } from '@llmops-rag/platform';
import { describe, expect, it } from 'vitest';

const DEV = join(dirname(fileURLToPath(import.meta.url)), '../cmd/dev.ts');

/** `tsx src/cmd/dev.ts <args>` as the Nx target runs it, in its own process. */
function dev(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DEV, ...args], {
      cwd: workspaceRoot(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NX_DAEMON: 'false', KUBECONFIG: '/nonexistent/kubeconfig' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the dev command (a real process)', () => {
  it('prints its flags with --help', async () => {
    const result = await dev(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('npx nx run k8s-manifests:dev [-- flags]');
    expect(result.stdout).toContain('--port=<port>');
  });

  it('refuses a taken local port with exit 2, naming --port and the fix, before any deploy step', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await dev([`--port=${port}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--port=${port}: 127.0.0.1:${port} is already in use`);
      expect(result.stderr).toContain('fix: stop what listens there');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).not.toContain('Preflight');
      expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('dev-outcome: usage exit=2');
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('rejects a port that is not one with exit 2', async () => {
    const result = await dev(['--port=http']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port=http: expected a TCP port number from 1 to 65535 (default 8080)');
  });
});
