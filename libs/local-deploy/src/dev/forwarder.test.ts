import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BufferOutput, FakeKube, pod } from '../testing/fakes.js';
import { SERVED_BY, withPodPortForward } from '../testing/pod-port-forward.js';
import { startForwarder, type PodForwarder } from './forwarder.js';

const TARGET = { namespace: 'dev', selector: 'app=rag-api', container: 'api', containerPort: 8000 };
const forwarders: PodForwarder[] = [];
afterEach(async () => {
  for (const f of forwarders.splice(0)) await f.close();
});

/** GET /pod through the forward: the pod that answered, or the socket error. */
function servedBy(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/pod', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.headers[SERVED_BY])));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

function podOf(name: string, created: string, terminating = false) {
  const p = pod(name);
  p.metadata.creationTimestamp = created;
  if (terminating) p.metadata.deletionTimestamp = '2025-11-29T05:00:10Z';
  return p;
}

async function forward(kube: FakeKube, out = new BufferOutput()) {
  const forwarder = await startForwarder(
    () => kube,
    () => TARGET,
    { port: 0, out },
  );
  forwarders.push(forwarder);
  return forwarder;
}

describe('the dev port-forward during a rollout', () => {
  it('keeps answering from a terminating pod that is still Ready while no other pod is, and says so', async () => {
    const kube = withPodPortForward(new FakeKube());
    kube.put(podOf('rag-api-old', '2025-11-29T05:00:00Z', true), 'kubelet');
    const out = new BufferOutput();
    const forwarder = await forward(kube, out);
    expect(await servedBy(forwarder.port)).toBe('rag-api-old');
    expect(out.text).toContain('→ rag-api-old:8000 (terminating, still Ready: no other pod is)');
  });

  it('prefers a Ready pod that is not terminating, even an older one, and moves to it from a draining one', async () => {
    const kube = withPodPortForward(new FakeKube());
    kube.put(podOf('rag-api-new', '2025-11-29T05:00:05Z', true), 'kubelet');
    const forwarder = await forward(kube);
    expect(await servedBy(forwarder.port)).toBe('rag-api-new');
    kube.put(podOf('rag-api-old', '2025-11-29T05:00:00Z'), 'kubelet');
    expect(await servedBy(forwarder.port)).toBe('rag-api-old');
  });

  it('forwards to nothing when the only pod is terminating and no longer Ready', async () => {
    const kube = withPodPortForward(new FakeKube());
    const gone = podOf('rag-api-old', '2025-11-29T05:00:00Z', true);
    (gone.status as { containerStatuses: { ready: boolean }[] }).containerStatuses[0]!.ready = false;
    kube.put(gone, 'kubelet');
    const forwarder = await forward(kube);
    expect(await servedBy(forwarder.port)).toBe('ECONNRESET');
  });
});
