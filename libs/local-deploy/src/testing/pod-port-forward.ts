import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { KubeApiError, type Forwarded, type KubeApi } from '../kube.js';
import type { FakeKube } from './fakes.js';

/** The header the fake pods answer with: which pod served the request. */
export const SERVED_BY = 'x-served-by';

/**
 * Port-forward of the fake API server made to behave like a real one per pod: a forward to a pod that does not exist
 * is refused (404 NotFound, as the kubelet's streaming endpoint answers), and a connection made through an open forward
 * after its pod was deleted is cut (the real forward's stream ends with its pod). Each pod answers `kube.endpoints`
 * with a `x-served-by: <pod>` header, and `GET /pod` answers its name, so a client can tell which pod it reached.
 */
export function withPodPortForward(kube: FakeKube): FakeKube & { forwards: string[] } {
  const forwards: string[] = [];
  const servers: Server[] = [];
  const exists = async (namespace: string, pod: string) => (await kube.get({ apiVersion: 'v1', kind: 'Pod', name: pod, namespace })) !== undefined;
  const api: KubeApi = kube;
  api.portForward = async (namespace: string, pod: string, port: number): Promise<Forwarded> => {
    if (!(await exists(namespace, pod))) throw new KubeApiError(404, `pods "${pod}" not found`, 'NotFound');
    forwards.push(`${pod}:${port}`);
    const sockets = new Set<Socket>();
    const answer = (res: ServerResponse, status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', [SERVED_BY]: pod });
      res.end(JSON.stringify(body));
    };
    const server = createServer((req, res) => {
      void exists(namespace, pod).then((alive) => {
        if (!alive) return req.socket.destroy();
        if (req.url === '/pod') return answer(res, 200, { pod });
        const body = kube.endpoints[req.url ?? ''];
        answer(res, body === undefined ? 404 : 200, body ?? { error: 'not found' });
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    return {
      localPort: typeof address === 'object' && address ? address.port : 0,
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    };
  };
  return Object.assign(kube, { forwards });
}
