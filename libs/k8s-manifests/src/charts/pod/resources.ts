import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import type { ResourceAmounts } from '../../profiles/profile.js';

export function resourceRequirements(resources: { requests: ResourceAmounts; limits: ResourceAmounts }): k8s.ResourceRequirements {
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}

function quantities(amounts: ResourceAmounts): Record<string, k8s.Quantity> {
  const out: Record<string, k8s.Quantity> = {
    cpu: k8s.Quantity.fromString(amounts.cpu),
    memory: k8s.Quantity.fromString(amounts.memory),
  };
  if (amounts.ephemeralStorage) out['ephemeral-storage'] = k8s.Quantity.fromString(amounts.ephemeralStorage);
  return out;
}
