import { describe, expect, it } from 'vitest';
import { clusterLoadCommand, nodeLoadInstructions, runtimeLoadCommand } from './image-load-hint.js';

const TAR = 'dist/images/llmops-rag-api.tar';

describe('the command that loads the archive', () => {
  it("is each recognised kind's own loader", () => {
    expect(clusterLoadCommand({ kind: 'minikube', target: 'demo' }, TAR)).toBe(`minikube -p demo image load ${TAR}`);
    expect(clusterLoadCommand({ kind: 'kind', target: 'dev' }, TAR)).toBe(`kind load image-archive ${TAR} --name dev`);
    expect(clusterLoadCommand({ kind: 'k3d', target: 'dev' }, TAR)).toBe(`k3d image import ${TAR} -c dev`);
    expect(clusterLoadCommand({ kind: 'k3s-container', target: 'f00d' }, TAR)).toBe(
      `docker cp ${TAR} f00d:/tmp/llmops-rag-api.image.tar && docker exec f00d ctr -n k8s.io images import /tmp/llmops-rag-api.image.tar && docker exec f00d rm -f /tmp/llmops-rag-api.image.tar`,
    );
  });

  it("follows the node's container runtime on a cluster the deploy does not recognise", () => {
    expect(runtimeLoadCommand('containerd://1.7.27', 'v1.33.1', TAR)).toBe(`sudo ctr -n k8s.io images import ${TAR}`);
    expect(runtimeLoadCommand('containerd://2.0.5-k3s1', 'v1.33.1+k3s1', TAR)).toBe(`sudo k3s ctr images import ${TAR}`);
    expect(runtimeLoadCommand('docker://28.2.2', 'v1.33.1', TAR)).toBe(`docker load -i ${TAR}`);
    expect(runtimeLoadCommand('cri-o://1.33.0', 'v1.33.1', TAR)).toBe(`sudo podman load -i ${TAR}`);
    expect(runtimeLoadCommand('containerd://1.7.27', 'v1.33.1', 'my images/x.tar')).toBe("sudo ctr -n k8s.io images import 'my images/x.tar'");
  });

  it('groups nodes by the command they need, and falls back to containerd when the nodes cannot be read', () => {
    const node = (name: string, runtime: string) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      status: { nodeInfo: { containerRuntimeVersion: runtime } },
    });
    expect(nodeLoadInstructions([node('a', 'containerd://1.7.27'), node('b', 'containerd://1.7.27'), node('c', 'docker://28.2.2')], TAR)).toEqual([
      { command: `sudo ctr -n k8s.io images import ${TAR}`, nodes: ['a', 'b'] },
      { command: `docker load -i ${TAR}`, nodes: ['c'] },
    ]);
    expect(nodeLoadInstructions([], TAR)).toEqual([{ command: `sudo ctr -n k8s.io images import ${TAR}`, nodes: [] }]);
  });
});
