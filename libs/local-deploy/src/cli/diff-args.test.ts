import { join } from 'node:path';
import { UsageError } from '@llmops-rag/platform';
import { describe, expect, it } from 'vitest';
import { DIFF_HELP, parseDiffArgs } from './diff-args.js';

describe('parseDiffArgs', () => {
  it('takes --allow-context and --dotenv (resolved against the working folder)', () => {
    expect(parseDiffArgs(['--allow-context=kind-dev', '--dotenv=other.env'], '/ws')).toEqual({
      help: false,
      options: { workspaceRoot: '/ws', allowContext: 'kind-dev', envFile: join(process.cwd(), 'other.env') },
    });
    expect(parseDiffArgs([], '/ws')).toEqual({ help: false, options: { workspaceRoot: '/ws' } });
  });

  it('refuses an unknown flag, an empty --allow-context and a repeated one as usage errors', () => {
    expect(() => parseDiffArgs(['--skip-build'], '/ws')).toThrow(UsageError);
    expect(() => parseDiffArgs(['--allow-context='], '/ws')).toThrow(/--allow-context is empty; it needs the exact name/);
    expect(() => parseDiffArgs(['--allow-context=a', '--allow-context=b'], '/ws')).toThrow(/given twice/);
  });

  it('has help that names the exit codes and the outcome words', () => {
    expect(parseDiffArgs(['-h'], '/ws')).toEqual({ help: true });
    expect(DIFF_HELP).toContain('0 no differences, 1 differences, 2 bad flags, 3 refused');
    expect(DIFF_HELP).toContain('diff-outcome: unchanged exit=0 | changes exit=1 | usage exit=2 | refused exit=3 | failed exit=4');
  });
});
