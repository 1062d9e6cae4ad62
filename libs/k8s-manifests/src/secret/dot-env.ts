import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The git-ignored `.env` at `path` as KEY → value, parsed in memory with
 * Node's own dotenv parser; nothing when the file does not exist.
 * Used by the deploy and the rehearsal to find secret values.
 */
export function readDotEnv(path: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
