// The pod rehearsal: the synthesized Deployment's container run in Docker the way the kubelet would.
export { rehearse, type RehearsalOptions } from './rehearse.js';
export { dockerRuntime, type ContainerRuntime } from './docker-runtime.js';
export { formatStep, formatSummary } from './report.js';
export type { RehearsalResult, Step } from './result.js';
