import { describe, expect, it } from 'vitest';
import { parseFlags, parseTimeout, UsageError } from './flags.js';

const OPTIONS = { cluster: { type: 'string' }, keep: { type: 'boolean', default: false } } as const;

describe('parseFlags', () => {
  it('reads the flags plus --outcome-file and -h', () => {
    const { values } = parseFlags(['--cluster=minikube', '--keep', '-h'], OPTIONS);
    expect(values).toMatchObject({ cluster: 'minikube', keep: true, help: true });
  });

  it('refuses a flag given twice, naming both values and the fix', () => {
    expect(() => parseFlags(['--cluster=a', '--cluster=b'], OPTIONS)).toThrow(
      new UsageError('--cluster is given twice (--cluster=a, --cluster=b) but takes one value; pass --cluster once'),
    );
    expect(() => parseFlags(['--cluster=a', '--cluster=b', '--cluster=c'], OPTIONS, { cluster: { repeated: (v) => `pick one of ${v.join('/')}` } })).toThrow(
      '--cluster is given 3 times (--cluster=a, --cluster=b, --cluster=c) but takes one value; pick one of a/b/c',
    );
  });

  it('refuses an empty value with the default or the given fix', () => {
    expect(() => parseFlags(['--cluster='], OPTIONS)).toThrow('--cluster is empty; give it a value: --cluster=<value>');
    expect(() => parseFlags(['--cluster', ' '], OPTIONS, { cluster: { empty: 'leave it out for minikube' } })).toThrow(
      '--cluster is empty; leave it out for minikube',
    );
  });

  it('turns an unknown flag into a UsageError pointing at --help', () => {
    expect(() => parseFlags(['--nope'], OPTIONS)).toThrow(/Unknown option '--nope'.*\nrun with --help for the flags/s);
  });

  it('refuses an --outcome-file in a folder that does not exist', () => {
    expect(() => parseFlags(['--outcome-file=/no/such/dir/o.json'], OPTIONS)).toThrow(
      '--outcome-file=/no/such/dir/o.json: the folder /no/such/dir does not exist',
    );
  });
});

describe('parseTimeout', () => {
  it.each([
    [undefined, 180_000],
    ['90', 90_000],
    ['90s', 90_000],
    ['3m', 180_000],
  ])('reads %j as %d ms', (value, ms) => expect(parseTimeout(value, 180)).toBe(ms));

  it('names the bad value and the accepted forms', () => {
    expect(() => parseTimeout('soon', 180)).toThrow('--timeout=soon: expected seconds (e.g. 180, 180s or 3m)');
    expect(() => parseTimeout('0', 180)).toThrow('--timeout must be positive');
  });
});
