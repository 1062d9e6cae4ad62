import { describe, expect, it } from 'vitest';
import { parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1Gi', 2 ** 30],
    ['128Mi', 128 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
    ['2500000n', 0.0025],
    ['250u', 0.00025],
    ['48880Ki', 48880 * 1024],
    ['.5', 0.5],
    ['+1k', 1000],
    [' 64Mi ', 64 * 2 ** 20],
    [3, 3],
  ] as const)('reads %j as %d base units', (value, expected) => {
    expect(parseQuantity(value)).toBe(expected);
  });

  it.each(['', 'lots', '1 Gi', '1gi', '1.2.3', 'Mi'])('throws for %j, naming what and the value', (value) => {
    expect(() => parseQuantity(value, 'container api memory limit')).toThrow(
      `container api memory limit: ${JSON.stringify(value)} is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 500m, 2)`,
    );
  });

  it('shortens a long value in the message', () => {
    expect(() => parseQuantity('x'.repeat(100))).toThrow(`quantity: "${'x'.repeat(40)}…" is not a Kubernetes quantity`);
  });
});
