import { FIELD_MANAGER, managedBy, PRUNABLE_KINDS } from './apply.js';
import { Checklist, formatChecklist } from './checklist.js';
import { gatherClusterFacts, type ContextInfo } from './cluster-kinds.js';
import { guardContext } from './context-guard.js';
import type { KubeApi } from './kube.js';
import { requireTools } from './preflight.js';
import { tail, type Runner } from './runner.js';
import type { Output } from './types.js';

export interface TeardownOptions {
  namespace: string;
  /** The label the deploy's objects carry, e.g. app.kubernetes.io/part-of=llmops-rag. */
  label: { key: string; value: string };
  allowContext?: string;
  timeoutMs: number;
}

export interface TeardownDeps {
  runner: Runner;
  out: Output;
  kubeContext: () => ContextInfo | undefined;
  kubeApi: () => KubeApi;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Removes what the deploy created, on the same local clusters it deploys to:
 * the app's objects (label + this deploy's field manager), then the namespace
 * when the deploy owns it (waiting until it is gone), and the context's
 * default namespace when the deploy set it. Never touches objects it did not apply.
 */
export async function runTeardown(options: TeardownOptions, deps: TeardownDeps): Promise<{ ok: boolean; checklist: Checklist }> {
  const { runner, out } = deps;
  const checklist = new Checklist();
  const context = await checklist.step('Kube context is local', async () => {
    requireTools(runner, ['kubectl']);
    const ctx = deps.kubeContext();
    const guard = guardContext(ctx, { mode: 'local' }, await gatherClusterFacts(runner), options.allowContext, 'tear down');
    if (guard.warning) out.line(`  ⚠ ${guard.warning}`);
    return { detail: `${ctx?.name} → ${guard.cluster?.kind ?? 'allowed by flag'}`, value: ctx as ContextInfo };
  });
  const api = deps.kubeApi();
  const selector = `${options.label.key}=${options.label.value}`;
  try {
    await checklist.step(`App objects in ${options.namespace}`, async () => {
      const deleted: string[] = [];
      for (const { apiVersion, kind } of PRUNABLE_KINDS) {
        const objects = await api.list(apiVersion, kind, options.namespace, selector).catch((e: { code?: number }) => {
          if (e.code === 404) return [];
          throw e;
        });
        for (const object of objects.filter((o) => managedBy(o, FIELD_MANAGER))) {
          await api.delete({ apiVersion, kind, name: object.metadata.name, namespace: options.namespace });
          deleted.push(`${kind}/${object.metadata.name}`);
          out.line(`  ${kind.toLowerCase()}/${object.metadata.name} deleted`);
        }
      }
      return { detail: deleted.length ? `${deleted.length} deleted` : 'none left', value: undefined };
    });

    await checklist.step(`Namespace ${options.namespace}`, async () => {
      const ns = await api.get({ apiVersion: 'v1', kind: 'Namespace', name: options.namespace });
      if (!ns) return { detail: 'already gone', value: undefined };
      if (ns.metadata.labels?.[options.label.key] !== options.label.value || !managedBy(ns, FIELD_MANAGER)) {
        out.line(`  namespace ${options.namespace} was not created by the deploy: left in place`);
        return { detail: 'not the deploy\'s: kept', value: undefined };
      }
      await api.delete({ apiVersion: 'v1', kind: 'Namespace', name: options.namespace });
      out.line(`  namespace/${options.namespace} deleting (waits for its pods to stop)…`);
      await waitGone(api, options, deps);
      return { detail: 'deleted', value: undefined };
    });

    await checklist.step('Context default namespace', async () => {
      if (context.namespace !== options.namespace) return { detail: `was ${context.namespace ?? 'unset'}: unchanged`, value: undefined };
      const result = await runner.run('kubectl', ['config', 'set-context', context.name, '--namespace=default'], { timeoutMs: 15_000 });
      if (result.code !== 0) throw new Error(`kubectl config set-context failed: ${tail(result, 3)}`);
      return { detail: `reset to default on ${context.name}`, value: undefined };
    });
  } catch (error) {
    out.line(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  }
  out.line(`\n${formatChecklist(checklist.results, 'Teardown checklist')}`);
  return { ok: !checklist.failed, checklist };
}

async function waitGone(api: KubeApi, options: TeardownOptions, deps: TeardownDeps): Promise<void> {
  const now = deps.now ?? (() => Date.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  let lastPrinted = started;
  while (await api.get({ apiVersion: 'v1', kind: 'Namespace', name: options.namespace })) {
    if (now() - started > options.timeoutMs) {
      throw new Error(
        `namespace ${options.namespace} still terminating after ${Math.round(options.timeoutMs / 1000)}s\nfix: \`kubectl get all -n ${options.namespace}\` shows what is left; a stuck finalizer is the usual cause`,
      );
    }
    if (now() - lastPrinted >= 10_000) {
      deps.out.line(`    … still terminating (${Math.round((now() - started) / 1000)}s)`);
      lastPrinted = now();
    }
    await sleep(1000);
  }
}
