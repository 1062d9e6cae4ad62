import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace-root.js';

const scratch = mkdtempSync(join(tmpdir(), 'workspace-root-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('workspaceRoot', () => {
  it('is the checkout holding this library (nx.json at the top)', () => {
    expect(workspaceRoot()).toBe(join(import.meta.dirname, '../../..'));
  });

  it('finds the nearest nx.json above a folder', () => {
    const deep = join(scratch, 'ws', 'libs', 'x', 'src');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(scratch, 'ws', 'nx.json'), '{}');
    expect(workspaceRoot(deep)).toBe(join(scratch, 'ws'));
  });

  it('says what is wrong outside a workspace', () => {
    const outside = join(scratch, 'outside');
    mkdirSync(outside);
    expect(() => workspaceRoot(outside)).toThrow(`no nx.json in ${outside} or any folder above it`);
  });
});
