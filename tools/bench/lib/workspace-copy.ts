import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The committed tree (`git archive HEAD`) in a temp folder, sharing the checkout's node_modules through a symlink:
 * a bench may change its sources and build in it without touching the checkout others work in.
 */
export function copyOfHead(root: string, prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const tar = join(dir, '.head.tar');
  execFileSync('git', ['archive', '--format=tar', `--output=${tar}`, 'HEAD'], { cwd: root });
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  rmSync(tar);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
