import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ProbeAction } from './run-plan.js';

export interface CheckResult {
  ok: boolean;
  detail: string;
  /** HTTP status when there was one. */
  status?: number;
}

/** Runs an exec probe inside the container (the caller's docker boundary). */
export type ExecInContainer = (command: string[], timeoutMs: number) => Promise<{ code: number; output: string; timedOut: boolean }>;

/**
 * One probe attempt the way the kubelet makes it, against 127.0.0.1:hostPort
 * (the published container port): HTTP 200–399 passes (HTTPS without
 * certificate verification), a TCP connect passes, an exec exiting 0 passes.
 */
export async function checkOnce(
  action: ProbeAction,
  hostPortOf: (containerPort: number) => number | undefined,
  timeoutMs: number,
  exec: ExecInContainer,
): Promise<CheckResult> {
  if (action.type === 'exec') {
    const result = await exec(action.command, timeoutMs);
    if (result.timedOut) return { ok: false, detail: `exec timed out after ${timeoutMs / 1000}s` };
    const output = result.output.trim().split('\n').slice(-1)[0] ?? '';
    return { ok: result.code === 0, detail: `exit ${result.code}${output ? `: ${output.slice(0, 200)}` : ''}` };
  }
  const hostPort = hostPortOf(action.port);
  if (hostPort === undefined) return { ok: false, detail: `container port ${action.port} is not published` };
  if (action.type === 'tcp') return tcpCheck(hostPort, timeoutMs);
  return httpCheck(action.scheme, hostPort, action.path, action.headers, timeoutMs);
}

function tcpCheck(port: number, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (result: CheckResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: `timeout after ${timeoutMs / 1000}s` }));
    socket.once('connect', () => done({ ok: true, detail: 'connected' }));
    socket.once('error', (error) => done({ ok: false, detail: describeNetError(error) }));
  });
}

export function httpCheck(scheme: 'HTTP' | 'HTTPS', port: number, path: string, headers: Record<string, string>, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const request = (scheme === 'HTTPS' ? httpsRequest : httpRequest)(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'GET',
        headers: { 'user-agent': 'kube-probe/rehearsal', ...headers },
        ...(scheme === 'HTTPS' ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        resolve({ ok: status >= 200 && status < 400, detail: `HTTP ${status}`, status });
      },
    );
    request.setTimeout(timeoutMs, () => {
      request.destroy();
      resolve({ ok: false, detail: `timeout after ${timeoutMs / 1000}s` });
    });
    request.once('error', (error) => resolve({ ok: false, detail: describeNetError(error) }));
    request.end();
  });
}

function describeNetError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  return code ? `${code}: ${error.message}` : error.message;
}
