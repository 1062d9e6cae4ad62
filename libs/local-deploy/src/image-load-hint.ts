import { shellQuote } from '@llmops-rag/platform';
import { imageCommands, type LocalCluster } from './cluster-kinds.js';
import type { KubeObject } from '@llmops-rag/contract';

/** The command line that loads the archive (`tar`, as the user should type it) into a recognised local cluster. */
export function clusterLoadCommand(cluster: LocalCluster, tar: string): string {
  return imageCommands(cluster, tar)
    .load.map((command) => command.map(shellQuote).join(' '))
    .join(' && ');
}

interface NodeView {
  metadata: { name: string };
  status?: { nodeInfo?: { containerRuntimeVersion?: string; kubeletVersion?: string } };
}

/** The import command for one node's container runtime (`containerd://1.7.27`, `docker://…`, `cri-o://…`). */
export function runtimeLoadCommand(runtimeVersion: string | undefined, kubeletVersion: string | undefined, tar: string): string {
  const runtime = (runtimeVersion ?? '').split('://')[0];
  const file = shellQuote(tar);
  if (runtime === 'docker') return `docker load -i ${file}`;
  if (runtime === 'cri-o') return `sudo podman load -i ${file}`;
  // k3s runs its own containerd (socket /run/k3s/containerd); `k3s ctr` talks to it, in namespace k8s.io.
  if (/k3s/.test(`${runtimeVersion ?? ''} ${kubeletVersion ?? ''}`)) return `sudo k3s ctr images import ${file}`;
  return `sudo ctr -n k8s.io images import ${file}`;
}

/**
 * How to load the archive into a cluster the deploy does not recognise, from
 * its Node objects: one command per container runtime, and the nodes to run it on.
 */
export function nodeLoadInstructions(nodes: readonly KubeObject[], tar: string): { command: string; nodes: string[] }[] {
  const byCommand = new Map<string, string[]>();
  for (const node of nodes as unknown as NodeView[]) {
    const info = node.status?.nodeInfo;
    const command = runtimeLoadCommand(info?.containerRuntimeVersion, info?.kubeletVersion, tar);
    byCommand.set(command, [...(byCommand.get(command) ?? []), node.metadata.name]);
  }
  if (byCommand.size === 0) return [{ command: runtimeLoadCommand(undefined, undefined, tar), nodes: [] }];
  return [...byCommand].map(([command, names]) => ({ command, nodes: names }));
}
