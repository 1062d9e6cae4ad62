import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { KubeApi } from '../../kube.js';
import { hashFiles } from './supervisor.js';
import { SYNC_PORT } from './supervisor-script.js';

export interface SyncResult {
  /** The supervisor's bundle generation now running. */
  generation: number;
  /** Files sent (those whose content differs from what the pod runs). */
  sent: string[];
  bytes: number;
  /** Copy and write in the pod, then the app's restart until its readiness endpoint answered. */
  restartMs: number;
  readyMs: number;
}

/** The supervisor answered and refused the bundle (the app did not start on it): the pod still serves the previous one. */
export class LiveUpdateRefused extends Error {
  override name = 'LiveUpdateRefused';
}

function call(port: number, method: 'GET' | 'PUT', body?: Buffer, timeoutMs = 60_000): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/files', method, timeout: timeoutMs, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new Error(`the live-update supervisor answered ${res.statusCode} with something that is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from the live-update supervisor within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends the bundle in `localDir` to the supervisor listening on 127.0.0.1:`port` (a port-forward to the pod): only the
 * files whose SHA-256 differs from what the pod runs, gzip'd; resolves once the app restarted on them and answers its
 * readiness endpoint. Throws with the supervisor's reason (and the app's last stderr lines) when it did not.
 */
export async function syncBundle(port: number, localDir: string): Promise<SyncResult> {
  const remote = await call(port, 'GET');
  if (remote.status !== 200) throw new Error(`the live-update supervisor refused GET /files (${remote.status}): ${JSON.stringify(remote.json)}`);
  const theirs = (remote.json.files ?? {}) as Record<string, string>;
  const ours = hashFiles(localDir);
  // The image's code cache is not part of the bundle the loop builds; the supervisor drops it for a changed bundle.
  const sent = Object.keys(ours)
    .filter((path) => ours[path] !== theirs[path] && !path.endsWith('.map'))
    .sort();
  if (sent.length === 0) return { generation: Number(remote.json.generation), sent, bytes: 0, restartMs: 0, readyMs: 0 };
  const body = gzipSync(JSON.stringify({ files: Object.fromEntries(sent.map((path) => [path, readFileSync(join(localDir, path)).toString('base64')])) }), {
    level: 1,
  });
  const put = await call(port, 'PUT', body);
  if (put.status !== 200) {
    const output = Array.isArray(put.json.output) && put.json.output.length ? `\n${(put.json.output as string[]).map((l) => `    ${l}`).join('\n')}` : '';
    throw new LiveUpdateRefused(`${String(put.json.error ?? `the live-update supervisor answered ${put.status}`)}${output}`);
  }
  return { generation: Number(put.json.generation), sent, bytes: body.length, restartMs: Number(put.json.restartMs), readyMs: Number(put.json.readyMs) };
}

/** `syncBundle` to one pod, through the API server's port-forward to its supervisor. */
export async function syncToPod(api: KubeApi, namespace: string, pod: string, localDir: string): Promise<SyncResult> {
  const forwarded = await api.portForward(namespace, pod, SYNC_PORT);
  try {
    return await syncBundle(forwarded.localPort, localDir);
  } finally {
    await forwarded.close().catch(() => undefined);
  }
}
