import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf, outcomeLine } from './outcome.js';

describe('outcome', () => {
  it('maps an engine result to 0 or 1', () => {
    expect(exitCodeOf({ ok: true })).toBe(EXIT.ok);
    expect(exitCodeOf({ ok: false })).toBe(EXIT.failed);
  });

  it('names each exit code in the outcome line, an unknown one as failed', () => {
    expect(outcomeLine({ command: 'deploy', exitCode: EXIT.preflight })).toBe('deploy-outcome: refused exit=3');
    expect(outcomeLine({ command: 'rehearse', exitCode: EXIT.usage })).toBe('rehearse-outcome: usage exit=2');
    expect(outcomeLine({ command: 'teardown', exitCode: 7 })).toBe('teardown-outcome: failed exit=7');
  });

  it("uses a command's own word for an exit code when it gives one (diff: 1 means changes)", () => {
    expect(outcomeLine({ command: 'diff', exitCode: EXIT.failed, name: 'changes' })).toBe('diff-outcome: changes exit=1');
  });
});
