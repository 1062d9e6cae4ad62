import { createServer, type IncomingMessage, type Server } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKubeApi, currentContext } from './kube-client.js';

/** A minimal HTTP API server: discovery, one Secret, and a record of every request. */
const requests: { method: string; url: string; contentType: string; body: string }[] = [];
let server: Server;
let kc: KubeConfig;

const discovery = {
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'secrets', kind: 'Secret', namespaced: true, verbs: ['get', 'patch', 'list', 'delete'] }] },
};

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const text = await body(req);
    requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: text });
    const path = (req.url ?? '').split('?')[0] ?? '';
    res.setHeader('content-type', 'application/json');
    if (path in discovery) return res.end(JSON.stringify(discovery[path as keyof typeof discovery]));
    if (path === '/api/v1/namespaces/dev/secrets/rag-api-secrets' && req.method === 'PATCH') {
      const sent = JSON.parse(text) as Record<string, unknown>;
      return res.end(JSON.stringify({ ...sent, metadata: { ...(sent.metadata as object), resourceVersion: '42', managedFields: [{ manager: 'llmops-rag-deploy' }] } }));
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ kind: 'Status', code: 404, message: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kind-test', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'kind-test', cluster: 'kind-test', user: 'u', namespace: 'dev' }],
    currentContext: 'kind-test',
  });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('clientKubeApi over @kubernetes/client-node', () => {
  it('applies server-side: PATCH with apply-patch content type, field manager and force', async () => {
    const api = clientKubeApi(kc);
    const applied = await api.apply(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rag-api-secrets', namespace: 'dev', resourceVersion: '7' }, type: 'Opaque', data: { OPENAI_API_KEY: 'eA==' } },
      'llmops-rag-deploy',
    );
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.url).toBe('/api/v1/namespaces/dev/secrets/rag-api-secrets?fieldManager=llmops-rag-deploy&force=true');
    expect(patch?.contentType).toBe('application/apply-patch+yaml');
    const sent = JSON.parse(patch?.body ?? '{}');
    expect(sent).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', data: { OPENAI_API_KEY: 'eA==' } });
    expect(sent.metadata.resourceVersion).toBeUndefined();
    expect(applied.metadata.resourceVersion).toBe('42');
  });

  it('treats 404 as absent on get and delete', async () => {
    const api = clientKubeApi(kc);
    expect(await api.get({ apiVersion: 'v1', kind: 'Secret', name: 'nope', namespace: 'dev' })).toBeUndefined();
    expect(await api.delete({ apiVersion: 'v1', kind: 'Secret', name: 'nope', namespace: 'dev' })).toBe(false);
  });

  it('reads the current context with its server and namespace', () => {
    expect(currentContext(kc)).toMatchObject({ name: 'kind-test', cluster: 'kind-test', namespace: 'dev' });
  });
});
