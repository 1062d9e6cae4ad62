const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Kubernetes' quantity grammar: a signed decimal, then a binary (Ki…Ei) or decimal (n, u, m, k…E) suffix or a decimal
 * exponent. `n` and `u` are what the API server's own parser also accepts, and what metrics-server reports CPU in (`2315543n`).
 */
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * A Kubernetes quantity as a number of base units (`500m` → 0.5, `1Gi` → 1073741824, `1e3` → 1000, `2500000n` → 0.0025).
 * Throws for anything else, naming `what` (e.g. `Deployment/rag-api container api memory limit`) and the value.
 */
export function parseQuantity(value: string | number, what = 'quantity'): number {
  if (typeof value === 'number') return value;
  const match = QUANTITY.exec(value.trim());
  if (!match) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new Error(`${what}: ${JSON.stringify(shown)} is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 500m, 2)`);
  }
  const [, number, suffix = ''] = match;
  if (/^[eE]/.test(suffix)) return Number(`${number}${suffix}`);
  return Number(number) * (SUFFIX[suffix] as number);
}
