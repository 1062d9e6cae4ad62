import type { Output } from '../types.js';

/** Progress lines on stderr, so stdout carries only the diffs and the summary (`… > changes.patch`). */
export const stderrOutput: Output = { line: (text) => process.stderr.write(`${text}\n`) };
