import type { PolicyRule } from '../rule.js';
import { configRules } from './config.js';
import { identityRules } from './identity.js';
import { imageRules } from './images.js';
import { networkRules } from './network.js';
import { probeRules } from './probes.js';
import { reliabilityRules } from './reliability.js';
import { resourceRules } from './resources.js';
import { securityRules } from './security.js';

/** Every policy rule, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...securityRules,
  ...imageRules,
  ...resourceRules,
  ...probeRules,
  ...reliabilityRules,
  ...networkRules,
  ...configRules,
  ...identityRules,
];
