import { tail, type Runner } from '@llmops-rag/platform';
import type { ContextInfo } from '../cluster-kinds.js';

/** Spec 1.2: `kubectl config set-context --current --namespace=dev`, skipped when already so. */
export async function setContextNamespace(runner: Runner, context: ContextInfo, namespace: string): Promise<string> {
  if (context.namespace === namespace) return `already ${namespace}`;
  const result = await runner.run('kubectl', ['config', 'set-context', context.name, `--namespace=${namespace}`], { timeoutMs: 15_000 });
  if (result.code !== 0) throw new Error(`kubectl config set-context ${context.name} --namespace=${namespace} failed: ${tail(result, 3)}`);
  return `set on context ${context.name}`;
}
