import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StubBin {
  /** A PATH holding only `node` and the stubs. */
  PATH: string;
  /** Every stub call so far, one `<tool> <args>` line each ('' when none ran). */
  calls: () => string;
}

/**
 * A fresh folder under `parent` for a command-line test's PATH: `node` (this process's binary) and a stub per
 * tool that logs its call and exits 0, so a test sees whether a command reached docker, kubectl or minikube
 * (and nothing reaches a real engine or cluster).
 */
export function stubBin(parent: string, tools: readonly string[]): StubBin {
  const bin = mkdtempSync(join(parent, 'bin-'));
  const calls = join(bin, 'calls.log');
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const tool of tools) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\nexit 0\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return { PATH: bin, calls: () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '') };
}
