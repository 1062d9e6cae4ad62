import { describe, expect, it } from 'vitest';
import { flagsNxDropped, type Ancestor } from './nx-dropped-flags.js';

const FLAGS = { 'allow-context': { type: 'string' }, 'no-atomic': { type: 'boolean' }, to: { type: 'string' } } as const;
const ENV = { NX_TASK_TARGET_PROJECT: 'k8s-manifests', NX_TASK_TARGET_TARGET: 'rollback' };

/** This process's ancestors: tsx, the shell Nx runs the command in, then nx with `argv`. */
function tree(argv: string[]): (pid: number) => Ancestor | undefined {
  const chain = [
    { ppid: 3, argv: ['node', 'tsx', 'rollback.ts', '--to=1'] },
    { ppid: 4, argv: ['/bin/sh', '-c', 'tsx rollback.ts --to=1'] },
    { ppid: 1, argv: ['node', '/repo/node_modules/.bin/nx', ...argv] },
  ];
  let next = 0;
  return () => chain[next++];
}

describe('flagsNxDropped', () => {
  it("returns this command's flags given before `--`, with their values, and leaves Nx's own", () => {
    const argv = ['run', 'k8s-manifests:rollback', '--allow-context=kind-x', '--skip-nx-cache', '--no-atomic', '--', '--to=1'];
    expect(flagsNxDropped(FLAGS, ENV, tree(argv))).toEqual(['--allow-context=kind-x', '--no-atomic']);
    expect(flagsNxDropped(FLAGS, ENV, tree(['run', 'k8s-manifests:rollback:dev', '--allow-context', 'kind-x', '--', '--to=1']))).toEqual([
      '--allow-context',
      'kind-x',
    ]);
    expect(flagsNxDropped(FLAGS, ENV, tree(['rollback', 'k8s-manifests', '--allow-context=kind-x', '--', '--to=1']))).toEqual(['--allow-context=kind-x']);
  });

  it('returns nothing without `--` (Nx forwarded everything), outside Nx, or when no ancestor is that nx run', () => {
    expect(flagsNxDropped(FLAGS, ENV, tree(['run', 'k8s-manifests:rollback', '--allow-context=kind-x', '--to=1']))).toEqual([]);
    expect(flagsNxDropped(FLAGS, {}, tree(['run', 'k8s-manifests:rollback', '--allow-context=kind-x', '--', '--to=1']))).toEqual([]);
    expect(flagsNxDropped(FLAGS, ENV, tree(['run', 'k8s-manifests:history', '--allow-context=kind-x', '--']))).toEqual([]);
  });
});
