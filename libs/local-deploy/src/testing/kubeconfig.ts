import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ContextInfo } from '../cluster-kinds.js';
import { KubeConfig } from '@kubernetes/client-node';
import { currentContext } from '../kube-client.js';
import type { RunResult } from '@llmops-rag/platform';

/**
 * A real kubeconfig file in a temp folder, changed only by the real `kubectl
 * config` (the deploy and teardown shell out to it) and read back the way the
 * CLIs read it. Tests see exactly the context state a user's kubeconfig would
 * end up in, including a `namespace` field that is absent (not "default").
 */
export class KubeconfigFile {
  readonly path: string;
  private readonly dir: string;

  constructor(context: ContextInfo) {
    this.dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    this.path = join(this.dir, 'config');
    const entry = { cluster: context.cluster, user: 'dev', ...(context.namespace ? { namespace: context.namespace } : {}) };
    writeFileSync(
      this.path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: context.cluster, cluster: { server: context.server } }],
        users: [{ name: 'dev', user: { token: 'test-token' } }],
        contexts: [{ name: context.name, context: entry }],
        'current-context': context.name,
      }),
      { mode: 0o600 },
    );
  }

  /** The current context as the CLIs see it (the client's kubeconfig loader + currentContext). */
  context(): ContextInfo | undefined {
    const kc = new KubeConfig();
    kc.loadFromFile(this.path);
    return currentContext(kc);
  }

  /** The raw context entry from the file: `namespace` absent is not the same as `namespace: default`. */
  rawContext(name: string): Record<string, unknown> | undefined {
    const config = parse(readFileSync(this.path, 'utf8')) as { contexts?: { name: string; context: Record<string, unknown> }[] };
    return config.contexts?.find((c) => c.name === name)?.context;
  }

  /** Runs the real kubectl against this file (for a FakeRunner handler). */
  kubectl(args: readonly string[]): Partial<RunResult> {
    const result = spawnSync('kubectl', [...args], { env: { ...process.env, KUBECONFIG: this.path }, encoding: 'utf8', timeout: 15_000 });
    return { code: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
