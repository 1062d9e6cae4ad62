import { describe, expect, it } from 'vitest';
import { DEPLOY_HELP, parseDeployArgs } from './deploy-args.js';
import { DEV_HELP, parseDevArgs } from './dev-args.js';
import { parseRollbackArgs, ROLLBACK_HELP } from './rollback-args.js';
import { parseTeardownArgs, TEARDOWN_HELP } from './teardown-args.js';

const root = '/nonexistent-workspace';
const options = <T>(parsed: { help: true } | { help: false; options: T }): T => {
  if (parsed.help) throw new Error('help');
  return parsed.options;
};

describe('--no-wait (refuse at once when another operation holds the namespace lock)', () => {
  it('every command that changes the namespace takes it; the default is to wait', () => {
    expect(options(parseDeployArgs([], root)).wait).toBe(true);
    expect(options(parseDeployArgs(['--no-wait'], root)).wait).toBe(false);
    expect(options(parseRollbackArgs(['--no-wait'], root)).wait).toBe(false);
    expect(options(parseRollbackArgs([], root)).wait).toBe(true);
    expect(options(parseTeardownArgs(['--no-wait'], root)).wait).toBe(false);
    expect(options(parseDevArgs(['--no-wait'], root)).deploy.wait).toBe(false);
  });

  it('each help names the flag and the locked outcome', () => {
    for (const help of [DEPLOY_HELP, DEV_HELP, ROLLBACK_HELP, TEARDOWN_HELP]) {
      expect(help).toContain('--no-wait');
      expect(help).toContain('locked exit=3');
    }
  });
});
