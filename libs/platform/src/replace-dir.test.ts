import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeDir, replaceDir, stagingDirFor, sweepOrphans } from './replace-dir.js';

function staged(target: string, content: string): string {
  const dir = stagingDirFor(target);
  writeFileSync(join(dir, 'file.yaml'), content);
  return dir;
}

describe('replaceDir', () => {
  it('puts a staged directory in place of a missing or existing one and leaves nothing beside it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'replace-dir-'));
    const target = join(parent, 'prod');
    replaceDir(staged(target, 'one'), target);
    expect(readFileSync(join(target, 'file.yaml'), 'utf8')).toBe('one');
    writeFileSync(join(target, 'stale.yaml'), 'stale');
    replaceDir(staged(target, 'two'), target);
    expect(readdirSync(target)).toEqual(['file.yaml']);
    expect(readFileSync(join(target, 'file.yaml'), 'utf8')).toBe('two');
    expect(readdirSync(parent)).toEqual(['prod']);
  });

  it('removeDir says whether there was a directory', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'replace-dir-')), 'prod');
    expect(removeDir(target)).toBe(false);
    mkdirSync(target);
    expect(removeDir(target)).toBe(true);
    expect(existsSync(target)).toBe(false);
  });

  it('sweepOrphans removes what a killed writer left, not what a live one is writing', () => {
    const parent = mkdtempSync(join(tmpdir(), 'replace-dir-'));
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is gone
    mkdirSync(join(parent, `.prod.staging-${deadPid}-0badc0de`));
    mkdirSync(join(parent, `.dev.old-${deadPid}-00c0ffee`));
    mkdirSync(join(parent, `.prod.staging-${process.pid}-12345678`));
    mkdirSync(join(parent, 'prod'));
    expect(sweepOrphans(parent).sort()).toEqual([`.dev.old-${deadPid}-00c0ffee`, `.prod.staging-${deadPid}-0badc0de`]);
    expect(readdirSync(parent).sort()).toEqual([`.prod.staging-${process.pid}-12345678`, 'prod']);
  });
});
