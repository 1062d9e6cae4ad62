import { processRunner, type Runner } from './runner.js';

export type EngineStatus = { ok: true; version: string } | { ok: false; reason: string };

/** Whether a Docker engine answers `docker info`; when not, the reason names the cause and the fix. */
export async function dockerEngine(runner: Runner = processRunner()): Promise<EngineStatus> {
  const result = await runner.run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
  const version = result.stdout.trim();
  if (result.code === 0 && version) return { ok: true, version };
  const why = result.code === 127 ? 'no docker client on PATH' : (result.stderr.trim().split('\n').pop() ?? `docker info exited ${result.code}`);
  return { ok: false, reason: `no Docker engine answers \`docker info\` (${why}); start one with \`bash tools/ci/ensure-docker.sh\`` };
}
