import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OtherUserFolder } from '@llmops-rag/workspace-tools';
import { describe, expect, it } from 'vitest';
import { runBundle } from './run-to-exit.js';

describe('runBundle', () => {
  it('reports a process that cannot start at once (the spawn error), not as a timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-to-exit-'));
    const missing = join(dir, 'no-node-here');
    // This user, with a Node binary that is not there: the spawn fails as one as nobody fails in a private checkout.
    const unstartable: OtherUserFolder = {
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      dir,
      node: missing,
      copyIn: (path) => path,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
    const started = performance.now();
    try {
      await expect(runBundle({}, { as: unstartable, timeoutMs: 10_000 })).rejects.toThrow(
        new RegExp(`^could not start ${missing} .*main\\.js as uid \\d+: spawn ${missing} ENOENT$`),
      );
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      unstartable.remove();
    }
  });
});
