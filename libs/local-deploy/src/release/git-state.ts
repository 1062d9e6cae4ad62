import type { Runner } from '@llmops-rag/platform';

/** The checkout's commit and whether its tree is dirty, through the process runner; undefined when there is no git or no repository. */
export async function gitState(runner: Runner, cwd: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  if (!runner.which('git')) return undefined;
  const head = await runner.run('git', ['rev-parse', 'HEAD'], { cwd, timeoutMs: 10_000 });
  const commit = head.stdout.trim();
  if (head.code !== 0 || !/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
  const status = await runner.run('git', ['status', '--porcelain'], { cwd, timeoutMs: 30_000 });
  if (status.code !== 0) return undefined;
  return { commit, dirty: status.stdout.trim() !== '' };
}
