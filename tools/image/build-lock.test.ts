import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withBuildLock } from './build-lock.js';

const scratch = mkdtempSync(join(tmpdir(), 'build-lock-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('withBuildLock', () => {
  it('works on a fresh clone, where the lock folder has no parent yet (dist/images)', async () => {
    const lock = join(scratch, 'fresh', 'dist', 'images', '.build.lock');
    await expect(withBuildLock(lock, async () => existsSync(lock))).resolves.toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('runs holders one after the other', async () => {
    const lock = join(scratch, 'serial', '.build.lock');
    const order: string[] = [];
    const hold = (name: string) =>
      withBuildLock(lock, async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
  });
});
