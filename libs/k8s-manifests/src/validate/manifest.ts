import type { KubeObject } from '@llmops-rag/contract';

/** A Kubernetes object as synthesized: libs/contract's one `KubeObject` type, under the name validation uses. */
export type Manifest = KubeObject;

export { objectRef } from '@llmops-rag/contract';
