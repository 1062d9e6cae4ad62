import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@llmops-rag/platform';
import { parseDevArgs } from './dev-args.js';

const options = (argv: string[]) => {
  const parsed = parseDevArgs(argv, '/repo');
  if (parsed.help) throw new Error('expected options');
  return parsed.options;
};

describe('dev flags', () => {
  it('defaults: minikube, port 8080, 180s, builds (no --skip-build)', () => {
    expect(options([])).toMatchObject({
      port: 8080,
      deploy: { mode: 'minikube', profile: 'minikube', timeoutMs: 180_000, skipBuild: false, workspaceRoot: '/repo' },
    });
  });

  it('passes the deploy flags through the deploy parser and keeps --port for itself, inline or separate', () => {
    expect(options(['--cluster=local', '--port', '9090', '--timeout=2m', '--dotenv=x.env', '--allow-context=ctx'])).toMatchObject({
      port: 9090,
      deploy: {
        mode: 'local',
        profile: 'minikube',
        allowContext: 'ctx',
        timeoutMs: 120_000,
        skipBuild: false,
        workspaceRoot: '/repo',
        envFile: resolve('x.env'),
      },
    });
    expect(options(['--port=18080', '--profile=dev']).port).toBe(18080);
    expect(parseDevArgs(['-h'], '/repo')).toEqual({ help: true });
  });

  it('rejects a bad port, a bad cluster, --skip-build and a repeated flag, naming the flag', () => {
    expect(() => parseDevArgs(['--port=80a'], '/repo')).toThrow(new UsageError('--port=80a: expected a TCP port number from 1 to 65535 (default 8080)'));
    expect(() => parseDevArgs(['--port=70000'], '/repo')).toThrow('--port=70000: expected a TCP port number');
    expect(() => parseDevArgs(['--cluster=kind'], '/repo')).toThrow('--cluster=kind: expected minikube or local');
    expect(() => parseDevArgs(['--skip-build'], '/repo')).toThrow(/Unknown option '--skip-build'/);
    expect(() => parseDevArgs(['--port=1', '--port=2'], '/repo')).toThrow('--port is given twice (--port=1, --port=2) but takes one value; pass --port once');
    expect(() => parseDevArgs(['--allow-context='], '/repo')).toThrow('--allow-context is empty; it needs the exact name');
  });
});
