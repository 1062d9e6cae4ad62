import type { IntOrString } from './kube-types.js';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** A Kubernetes quantity (`512Mi`, `1G`, `128974848`, `500m`) as a number of base units. */
export function parseQuantity(quantity: IntOrString, what: string): number {
  if (typeof quantity === 'number') return quantity;
  const match = quantity.trim().match(/^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/);
  if (!match) throw new Error(`${what}: "${quantity}" is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 500m, 2)`);
  const [, digits = '0', suffix = ''] = match;
  const factor = BINARY[suffix] ?? DECIMAL[suffix] ?? 1;
  return Number(digits) * factor;
}

/** Memory limit in whole bytes (what `docker run --memory` takes). */
export function memoryBytes(quantity: IntOrString, what: string): number {
  return Math.ceil(parseQuantity(quantity, what));
}

/** CPU quantity in cores (`500m` → 0.5), what `docker run --cpus` takes. */
export function cpuCores(quantity: IntOrString, what: string): number {
  return parseQuantity(quantity, what);
}

/** The kubelet's cgroup cpu shares for a CPU request: milliCPU × 1024 / 1000, at least 2. */
export function cpuShares(requestCores: number): number {
  return Math.max(2, Math.floor((requestCores * 1000 * 1024) / 1000));
}
