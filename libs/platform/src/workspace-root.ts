import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Nx workspace root: the nearest folder with an nx.json at or above `from` (this file's folder by default). */
export function workspaceRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json in ${from} or any folder above it: run this inside the llmops-rag checkout`);
    dir = parent;
  }
  return dir;
}
