import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMessage } from './apply.js';
import { clientKubeApi, currentContext } from './kube-client.js';
import { KubeApiError } from './kube.js';

/** A minimal HTTP API server: discovery, one Secret, and a record of every request. */
const requests: { method: string; url: string; contentType: string; body: string }[] = [];
let server: Server;
let kc: KubeConfig;

const resource = (name: string, kind: string, verbs = ['get', 'list', 'delete']) => ({ name, kind, namespaced: true, verbs });
const discovery = {
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('secrets', 'Secret', ['get', 'patch', 'list', 'delete']),
      resource('configmaps', 'ConfigMap'),
      resource('pods', 'Pod'),
      resource('pods/log', 'Pod', ['get']),
      resource('bindings', 'Binding', ['create']),
      { name: 'nodes', kind: 'Node', namespaced: false, verbs: ['get', 'list'] },
    ],
  },
  '/apis': {
    kind: 'APIGroupList',
    groups: [
      { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
      {
        name: 'metrics.k8s.io',
        versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
        preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
      },
      {
        name: 'broken.example.com',
        versions: [{ groupVersion: 'broken.example.com/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'broken.example.com/v1', version: 'v1' },
      },
    ],
  },
  // Read by the object API to find the Lease's path (not in /apis, so listNamespace does not list it).
  '/apis/coordination.k8s.io/v1': {
    kind: 'APIResourceList',
    groupVersion: 'coordination.k8s.io/v1',
    resources: [resource('leases', 'Lease', ['create', 'get', 'update', 'delete', 'list'])],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    groupVersion: 'apps/v1',
    resources: [resource('deployments', 'Deployment'), resource('deployments/scale', 'Scale', ['get'])],
  },
};
const item = (name: string) => ({ metadata: { name, namespace: 'dev', uid: `uid-${name}` } });
const lists: Record<string, unknown[]> = {
  '/api/v1/namespaces/dev/secrets': [],
  '/api/v1/namespaces/dev/configmaps': [item('team-notes'), item('kube-root-ca.crt')],
  '/api/v1/namespaces/dev/pods': [item('rag-api-6c9f-x2x')],
  '/apis/apps/v1/namespaces/dev/deployments': [item('rag-api')],
};

/** The one Lease the server holds, as the API server keeps it: create once (then 409 AlreadyExists), update and delete with a resourceVersion precondition (409 Conflict). */
let stored: { metadata: { name: string; resourceVersion: string }; spec?: unknown } | undefined;
function status(res: ServerResponse, code: number, reason: string, message: string) {
  res.statusCode = code;
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message }));
}
function lease(method: string, path: string, text: string, res: ServerResponse) {
  const sent = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const name = path.split('/leases')[1]?.replace(/^\//, '');
  const conflict = () =>
    status(
      res,
      409,
      'Conflict',
      'Operation cannot be fulfilled on leases.coordination.k8s.io "op": the object has been modified; please apply your changes to the latest version and try again',
    );
  if (method === 'POST' && !name) {
    if (stored) return status(res, 409, 'AlreadyExists', 'leases.coordination.k8s.io "op" already exists');
    stored = { spec: sent.spec, metadata: { name: 'op', resourceVersion: '1' } };
    res.statusCode = 201;
    return res.end(JSON.stringify(stored));
  }
  if (method === 'PUT' && stored) {
    if ((sent.metadata as { resourceVersion?: string }).resourceVersion !== stored.metadata.resourceVersion) return conflict();
    stored = { spec: sent.spec, metadata: { name: 'op', resourceVersion: String(Number(stored.metadata.resourceVersion) + 1) } };
    return res.end(JSON.stringify(stored));
  }
  if (method === 'DELETE' && stored) {
    const precondition = (sent as { preconditions?: { resourceVersion?: string } }).preconditions?.resourceVersion;
    if (precondition !== undefined && precondition !== stored.metadata.resourceVersion) return conflict();
    stored = undefined;
    return res.end(JSON.stringify({ kind: 'Status', status: 'Success' }));
  }
  return status(res, 404, 'NotFound', 'leases.coordination.k8s.io "op" not found');
}
/** metrics-server's API (`kubectl top`): served, or absent as on a cluster without metrics-server. */
let metricsServed = true;
const metricsDiscovery = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'metrics.k8s.io/v1beta1',
  resources: [
    { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
  ],
};
const podMetricsList = {
  kind: 'PodMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: {},
  items: [
    {
      metadata: { name: 'rag-api-6c9f-x2x', namespace: 'dev', creationTimestamp: '2026-12-07T10:00:00Z', labels: { app: 'rag-api' } },
      timestamp: '2026-12-07T09:59:52Z',
      window: '15.04s',
      containers: [{ name: 'api', usage: { cpu: '2315543n', memory: '49152Ki' } }],
    },
  ],
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
    if (path.startsWith('/apis/metrics.k8s.io/v1beta1') && !metricsServed) {
      // The API server's answer for a group nobody serves: its mux's plain-text not-found page, not a Status.
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      return res.end('404 page not found\n');
    }
    if (path === '/apis/metrics.k8s.io/v1beta1') return res.end(JSON.stringify(metricsDiscovery));
    if (path === '/apis/metrics.k8s.io/v1beta1/namespaces/dev/pods') return res.end(JSON.stringify(podMetricsList));
    if (path in lists && req.method === 'GET') return res.end(JSON.stringify({ kind: 'List', metadata: {}, items: lists[path] }));
    if (path === '/apis/broken.example.com/v1') {
      res.statusCode = 503;
      return res.end(JSON.stringify({ kind: 'Status', code: 503, message: 'the server is currently unable to handle the request' }));
    }
    if (path === '/api/v1/namespaces/dev/pods/rag-api-6c9f-x2x/log') {
      // What the API server answers for a container that never started.
      res.statusCode = 400;
      return res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'BadRequest',
          code: 400,
          message: 'container "api" in pod "rag-api-6c9f-x2x" is waiting to start: ErrImageNeverPull',
        }),
      );
    }
    if (path === '/api/v1/namespaces/dev/configmaps/no-body') {
      // A proxy in front of the API server answering without a Status.
      res.statusCode = 503;
      return res.end();
    }
    if (path.startsWith('/api/v1/namespaces/gone/')) {
      // What the API server answers for a write into a namespace being deleted (and a read it refuses).
      res.statusCode = 403;
      const name = path.split('/').pop();
      return res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `secrets "${name}" is forbidden: unable to create new content in namespace gone because it is being terminated`,
          reason: 'Forbidden',
          details: { name, kind: 'secrets' },
          code: 403,
        }),
      );
    }
    if (path.startsWith('/apis/coordination.k8s.io/v1/namespaces/dev/leases')) return lease(req.method ?? '', path, text, res);
    if (path === '/api/v1/namespaces/dev/secrets/rag-api-secrets' && req.method === 'PATCH') {
      const sent = JSON.parse(text) as Record<string, unknown>;
      return res.end(
        JSON.stringify({ ...sent, metadata: { ...(sent.metadata as object), resourceVersion: '42', managedFields: [{ manager: 'llmops-rag-deploy' }] } }),
      );
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
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'rag-api-secrets', namespace: 'dev', resourceVersion: '7' },
        type: 'Opaque',
        data: { OPENAI_API_KEY: 'eA==' },
      },
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

  it('lists everything in a namespace through discovery: every listable namespaced kind, skipping views, naming groups it could not read', async () => {
    const { objects, unreadable } = await clientKubeApi(kc).listNamespace('dev');
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'apps/v1 Deployment/rag-api',
      'v1 ConfigMap/kube-root-ca.crt',
      'v1 ConfigMap/team-notes',
      'v1 Pod/rag-api-6c9f-x2x',
    ]);
    expect(unreadable).toEqual(['broken.example.com/v1 (the server is currently unable to handle the request)']);
    expect(requests.some((r) => r.url.startsWith('/apis/metrics.k8s.io'))).toBe(false);
    expect(requests.some((r) => r.url.includes('bindings') || r.url.includes('/log'))).toBe(false);
  });

  it('rejects logs of a waiting container with the API server\'s message, not "HTTP-Code: 400"', async () => {
    const error = await clientKubeApi(kc)
      .logs('dev', 'rag-api-6c9f-x2x', 'api', { tailLines: 20 })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: number; message: string },
      );
    expect(error?.code).toBe(400);
    expect(error?.message).toBe('container "api" in pod "rag-api-6c9f-x2x" is waiting to start: ErrImageNeverPull');
  });

  it("rejects every call the API server refuses with its reason and message, never the client's HTTP dump (issue 18, item 3)", async () => {
    const api = clientKubeApi(kc);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'llmops-rag.release.v12', namespace: 'gone' }, type: 'Opaque' };
    const ref = { apiVersion: 'v1', kind: 'Secret', name: 'llmops-rag.release.v12', namespace: 'gone' };
    const calls: [string, Promise<unknown>][] = [
      ['apply', api.apply(secret, 'llmops-rag-deploy')],
      ['get', api.get(ref)],
      ['list', api.list('v1', 'Secret', 'gone')],
      ['delete', api.delete(ref)],
    ];
    for (const [what, call] of calls) {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(KubeApiError);
      expect(error, what).toMatchObject({ code: 403, reason: 'Forbidden' });
      const message = String((error as Error).message);
      expect(message, what).toMatch(/^secrets "[^"]+" is forbidden: unable to create new content in namespace gone because it is being terminated$/);
      expect(apiMessage(error), what).toBe(message);
    }
  });

  it('names the HTTP status, not the dump, when an answer has no Status body', async () => {
    const error = await clientKubeApi(kc)
      .get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'no-body', namespace: 'dev' })
      .then(
        () => undefined,
        (e: unknown) => e as KubeApiError,
      );
    expect(error).toMatchObject({ code: 503 });
    expect(error?.message).toMatch(/^the API server answered HTTP 503/);
    expect(error?.message).not.toMatch(/Headers|HTTP-Code/);
  });

  it('create, replace and a conditional delete: 409s come back as KubeApiErrors with the reason (AlreadyExists, Conflict)', async () => {
    const api = clientKubeApi(kc);
    const lease = (rv?: string) => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'op', namespace: 'dev', ...(rv ? { resourceVersion: rv } : {}) },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 30, renewTime: '2026-12-07T09:29:05.000000Z' },
    });
    const created = await api.create(lease(), 'llmops-rag-lock');
    expect(created.metadata.resourceVersion).toBe('1');
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.url).toBe('/apis/coordination.k8s.io/v1/namespaces/dev/leases?fieldManager=llmops-rag-lock');
    expect(JSON.parse(post?.body ?? '{}').spec.renewTime).toBe('2026-12-07T09:29:05.000000Z'); // a MicroTime goes as written
    await expect(api.create(lease(), 'llmops-rag-lock')).rejects.toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'leases.coordination.k8s.io "op" already exists',
    });
    expect((await api.replace(lease('1'), 'llmops-rag-lock')).metadata.resourceVersion).toBe('2');
    await expect(api.replace(lease('1'), 'llmops-rag-lock')).rejects.toMatchObject({ code: 409, reason: 'Conflict' });
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'op', namespace: 'dev' };
    await expect(api.delete(ref, { resourceVersion: '1' })).rejects.toMatchObject({ code: 409, reason: 'Conflict' });
    expect(await api.delete(ref, { resourceVersion: '2' })).toBe(true);
    expect(JSON.parse(requests.filter((r) => r.method === 'DELETE').at(-1)?.body ?? '{}')).toMatchObject({ preconditions: { resourceVersion: '2' } });
    expect(requests.filter((r) => r.method === 'DELETE').at(-1)?.url).toContain('propagationPolicy=Foreground');
  });

  it('lists PodMetrics through discovery of metrics.k8s.io, as `kubectl top pod -l` reads them', async () => {
    metricsServed = true;
    const items = await clientKubeApi(kc).list('metrics.k8s.io/v1beta1', 'PodMetrics', 'dev', 'app=rag-api');
    expect(items).toEqual([{ ...podMetricsList.items[0], apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics' }]);
    expect(requests.map((r) => r.url).filter((u) => u.startsWith('/apis/metrics.k8s.io'))).toEqual([
      '/apis/metrics.k8s.io/v1beta1',
      '/apis/metrics.k8s.io/v1beta1/namespaces/dev/pods?labelSelector=app%3Drag-api',
    ]);
  });

  it("rejects a list of a group the cluster does not serve with a KubeApiError 404 and the server's words", async () => {
    metricsServed = false;
    try {
      const error = await clientKubeApi(kc)
        .list('metrics.k8s.io/v1beta1', 'PodMetrics', 'dev', 'app=rag-api')
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(KubeApiError);
      expect(error).toMatchObject({ code: 404, message: '404 page not found' });
    } finally {
      metricsServed = true;
    }
  });

  it('reads the current context with its server and namespace', () => {
    expect(currentContext(kc)).toMatchObject({ name: 'kind-test', cluster: 'kind-test', namespace: 'dev' });
  });
});
