import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell-quote.js';

describe('shellQuote', () => {
  it('leaves a plain path as it is', () => {
    expect(shellQuote('/home/me/repo/.env')).toBe('/home/me/repo/.env');
  });

  it('quotes what a shell would split or expand, and a real sh reads each back unchanged', () => {
    const args = ['/home/me/my projects/repo/.env', "it's", '$HOME', 'a*b', 'x;rm -rf y', '', 'tab\there', 'new\nline'];
    expect(shellQuote('/home/me/my projects/.env')).toBe("'/home/me/my projects/.env'");
    for (const arg of args) {
      const echoed = spawnSync('sh', ['-c', `printf %s ${shellQuote(arg)}`], { encoding: 'utf8' });
      expect(echoed.stdout, `${arg} quoted as ${shellQuote(arg)}`).toBe(arg);
    }
  });
});
