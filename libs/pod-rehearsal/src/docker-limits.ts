import { parseQuantity } from '@llmops-rag/contract';
import type { IntOrString } from './kube-types.js';

/** A resource quantity as base units; a negative one (the API server rejects it too) throws naming the field. */
function amount(quantity: IntOrString, what: string): number {
  const value = parseQuantity(quantity, what);
  if (value < 0) throw new Error(`${what}: ${JSON.stringify(String(quantity))} is negative; a resource quantity is 0 or more (e.g. 512Mi, 500m)`);
  return value;
}

/** Memory limit in whole bytes (what `docker run --memory` takes). */
export function memoryBytes(quantity: IntOrString, what: string): number {
  return Math.ceil(amount(quantity, what));
}

/** CPU quantity in cores (`500m` → 0.5), what `docker run --cpus` takes. */
export function cpuCores(quantity: IntOrString, what: string): number {
  return amount(quantity, what);
}

/** The kubelet's cgroup cpu shares for a CPU request: milliCPU × 1024 / 1000, at least 2. */
export function cpuShares(requestCores: number): number {
  return Math.max(2, Math.floor((requestCores * 1000 * 1024) / 1000));
}
