import { describe, expect, it } from 'vitest';
import { choosePath } from './loop-path.js';
import type { WatchSet } from './watch-set.js';

const ROOT = '/w';
const SET: WatchSet = {
  files: new Set(['/w/apps/a/src/main.ts', '/w/apps/a/src/routes.ts', '/w/libs/m/src/chart.ts', '/w/libs/c/src/config.ts', '/w/package.json']),
  dirs: ['/w/apps/a/src', '/w/libs/c/src', '/w/libs/m/src'],
  full: new Map([
    ['/w/libs/m/src/chart.ts', 'a manifest source (synth reads it)'],
    ['/w/libs/c/src/config.ts', 'a manifest source (synth reads it)'],
    ['/w/package.json', 'a dependency change'],
  ]),
};

describe('which path a round takes', () => {
  it('live for app sources only', () => {
    expect(choosePath(['/w/apps/a/src/main.ts', '/w/apps/a/src/routes.ts'], SET, ROOT)).toEqual({
      path: 'live',
      why: 'only app sources changed',
      synth: false,
    });
  });

  it('full with synth when a file synth reads changed, even one the bundle reads too, naming it', () => {
    expect(choosePath(['/w/apps/a/src/main.ts', '/w/libs/c/src/config.ts'], SET, ROOT)).toEqual({
      path: 'full',
      why: 'libs/c/src/config.ts is a manifest source (synth reads it)',
      synth: true,
    });
  });

  it('full without synth for a dependency change; full with synth for a file it did not know (after a failure)', () => {
    expect(choosePath(['/w/package.json'], SET, ROOT)).toEqual({ path: 'full', why: 'package.json is a dependency change', synth: false });
    expect(choosePath(['/w/libs/m/src/new-chart.ts'], SET, ROOT)).toEqual({
      path: 'full',
      why: 'libs/m/src/new-chart.ts was not part of the bundle before',
      synth: true,
    });
  });
});
