import { processRunner, type Runner } from './runner.js';

/** When not ok: `cause` is what `docker info` said (or that it timed out), `reason` the whole sentence with the fix. */
export type EngineStatus = { ok: true; version: string } | { ok: false; cause: string; reason: string };

const TIMEOUT_SECONDS = 15;

/** Whether a Docker engine answers `docker info`; when not, the cause, and a reason naming the cause and the fix. */
export async function dockerEngine(runner: Runner = processRunner()): Promise<EngineStatus> {
  const result = await runner.run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: TIMEOUT_SECONDS * 1000 });
  const version = result.stdout.trim();
  if (result.code === 0 && version && !version.includes('error')) return { ok: true, version };
  const cause = result.timedOut
    ? `did not answer within ${TIMEOUT_SECONDS}s`
    : result.code === 127
      ? 'no docker client on PATH'
      : result.stderr.trim().split('\n').pop() || `docker info exited ${result.code}`;
  // The engine runs, but its socket refuses this user: starting one is not the fix.
  const fix = /permission denied/i.test(cause)
    ? 'let this user reach it (add it to the docker group: `sudo usermod -aG docker "$USER"`, then log in again) or run as root'
    : 'start one with `bash tools/ci/ensure-docker.sh`';
  return { ok: false, cause, reason: `no Docker engine answers \`docker info\` (${cause}); ${fix}` };
}
