import { execFileSync, spawnSync } from 'node:child_process';

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
}

const INSTALL = 'apt-get update && apt-get install -y wrk';

/** wrk is a native load generator (C, epoll): on 2 cores it stays cheap where a JavaScript client saturates first. */
export function ensureWrk(): void {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`wrk (the load generator) is not installed. Install it with: sudo sh -c '${INSTALL}'`);
  }
  console.log(`» wrk not found: installing it (${INSTALL})…`);
  const result = spawnSync('sh', ['-c', `${INSTALL} >/dev/null`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`installing wrk failed (exit ${result.status}); install it yourself: ${INSTALL}`);
}

/** Runs `wrk` pinned to `cpu` against `url` and fails on any non-2xx answer or socket error. */
export function runWrk(url: string, options: { seconds: number; connections: number; cpu: number }): WrkResult {
  const args = ['-c', String(options.cpu), 'wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`, url];
  const output = execFileSync('taskset', args, { encoding: 'utf8' });
  const total = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(output);
  if (!total) throw new Error(`cannot read wrk's output:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: (.*)/.exec(output)?.[1];
  if (non2xx > 0 || socketErrors) throw new Error(`${url}: ${non2xx} non-2xx answers${socketErrors ? `, socket errors: ${socketErrors}` : ''}`);
  const unit = { ms: 0.001, s: 1, m: 60 }[total[3] as 'ms' | 's' | 'm'];
  const requests = Number(total[1]);
  const seconds = Number(total[2]) * unit;
  return { requests, seconds, requestsPerSecond: requests / seconds };
}
