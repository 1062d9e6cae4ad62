import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_GID, APP_UID, HEALTH_PATHS } from '@llmops-rag/contract';
import type { BundleEntry, LoopApi } from './dev-loop-api.ts';
import { CHANGED_FILE, marker, saveChange } from './dev-loop-round.ts';

/** `n` distinct free ports: each is held until all are picked (two picks in a row could otherwise get the same one). */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

export interface LiveContainer {
  appPort: number;
  syncPort: number;
  remove(): void;
}

/**
 * The app container as the dev-loop overlay runs it, in Docker: the image, its own node running the supervisor from a
 * read-only mount (the ConfigMap), a writable tmpfs for new bundles (the emptyDir), the read-only root filesystem, the
 * image's uid:gid, and the dev ConfigMap's values plus a placeholder secret as its environment. Host networking, so the
 * supervisor's 127.0.0.1-only port is reachable as through the API server's port-forward; the ports are free ones.
 */
export async function startLiveContainer(dir: string, api: LoopApi, imageId: string): Promise<LiveContainer> {
  const scratch = mkdtempSync(join(tmpdir(), 'dev-loop-live-'));
  writeFileSync(join(scratch, 'supervisor.js'), await api.supervisorScript(), { mode: 0o644 });
  // mkdtemp makes it 0700: the container's user (not root) must read the script, as it reads a ConfigMap volume.
  chmodSync(scratch, 0o755);
  const configMap = api.readSynthOutput(join(dir, 'dist/k8s/dev')).find((o) => o.kind === 'ConfigMap') as { data?: Record<string, string> } | undefined;
  const [appPort, syncPort] = (await freePorts(2)) as [number, number];
  const name = `dev-loop-bench-live-${process.pid}`;
  const envFlags = Object.entries({ ...configMap?.data, OPENAI_API_KEY: 'placeholder-not-a-real-key', PORT: String(appPort) }).flatMap(([k, v]) => [
    '-e',
    `${k}=${v}`,
  ]);
  execFileSync(
    'docker',
    [
      'run',
      '-d',
      '--name',
      name,
      '--network',
      'host',
      '--read-only',
      '--user',
      `${APP_UID}:${APP_GID}`,
      '--tmpfs',
      '/tmp',
      '--tmpfs',
      `${api.LIVE_PATHS.liveDir}:uid=${APP_UID},gid=${APP_GID}`,
      '--mount',
      `type=bind,src=${scratch},dst=${api.LIVE_PATHS.supervisorDir},readonly`,
      ...envFlags,
      imageId,
      api.LIVE_PATHS.script,
      '--image-app=/app',
      `--live-dir=${api.LIVE_PATHS.liveDir}`,
      `--sync-port=${syncPort}`,
      `--ready-path=${HEALTH_PATHS.ready}`,
    ],
    { stdio: 'ignore' },
  );
  const remove = () => {
    try {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const up = await fetch(`http://127.0.0.1:${appPort}${HEALTH_PATHS.ready}`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { appPort, syncPort, remove };
    await new Promise((r) => setTimeout(r, 100));
  }
  const logs = [
    execFileSync('docker', ['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Status}}'], { encoding: 'utf8' }),
    execFileSync('docker', ['logs', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ].join('\n');
  remove();
  throw new Error(`the live container of ${imageId} did not become ready within 30 s:\n${logs.slice(-2000)}`);
}

/** One live-path round's stage boundaries (performance.now()) and the supervisor's own split. */
export interface LiveRound {
  saved: number;
  bundled: number;
  synced: number;
  answered: number;
  restartMs: number;
  readyMs: number;
  sent: string[];
  bytes: number;
}

/**
 * The live path as the loop runs it (live-update.ts): save → the bundle in this process into the loop's own folder →
 * the changed files to the supervisor, which restarts the app on them and answers once it is ready → the first `GET /`
 * with this round's marker. The pod stays Ready meanwhile on the overlay's probe (every 1 s, 3 failures to fail), so
 * no kubelet wait is in this path.
 */
export async function liveRound(dir: string, api: LoopApi, entry: BundleEntry, container: LiveContainer, round: string): Promise<LiveRound> {
  const original = readFileSync(join(dir, CHANGED_FILE), 'utf8');
  try {
    const saved = performance.now();
    saveChange(dir, original, round);
    await api.bundleForLive(dir, entry);
    const bundled = performance.now();
    const sync = await api.syncBundle(container.syncPort, join(dir, api.LIVE_BUNDLE_DIR));
    const synced = performance.now();
    let answered: number | undefined;
    const deadline = Date.now() + 30_000;
    while (answered === undefined && Date.now() < deadline) {
      if ((await marker(container.appPort)) === round) answered = performance.now();
      else await new Promise((r) => setTimeout(r, 10));
    }
    if (answered === undefined) throw new Error(`the live container never answered GET / with round ${round}`);
    return { saved, bundled, synced, answered, restartMs: sync.restartMs, readyMs: sync.readyMs, sent: sync.sent, bytes: sync.bytes };
  } finally {
    writeFileSync(join(dir, CHANGED_FILE), original);
  }
}
