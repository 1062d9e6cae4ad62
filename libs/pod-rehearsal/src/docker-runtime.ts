import { dockerEngine, processRunner, type EngineStatus, type Runner } from '@llmops-rag/platform';
import type { RunPlan } from './run-plan.js';

export interface ContainerState {
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt: string;
  finishedAt: string;
  /** container port → host port on 127.0.0.1 */
  hostPorts: Map<number, number>;
}

export interface ImageFacts {
  id: string;
  user: string | undefined;
}

/** The rehearsal's only contact with Docker (a fake in unit tests). */
export interface ContainerRuntime {
  engine(): Promise<EngineStatus>;
  image(ref: string): Promise<ImageFacts | undefined>;
  /** `docker run --detach` of the plan; secret values only in the client's environment. Returns the container ID. */
  run(plan: RunPlan): Promise<string>;
  state(id: string): Promise<ContainerState | undefined>;
  logs(id: string, tail: number): Promise<string[]>;
  exec(id: string, command: string[], timeoutMs: number): Promise<{ code: number; output: string; timedOut: boolean }>;
  /** `docker stop --time`: SIGTERM, then SIGKILL after `graceSeconds`. */
  stop(id: string, graceSeconds: number): Promise<void>;
  remove(id: string): Promise<void>;
}

interface InspectJson {
  State: { Status: string; Running: boolean; ExitCode: number; OOMKilled: boolean; Error: string; StartedAt: string; FinishedAt: string };
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

export function parseHostPorts(ports: NonNullable<InspectJson['NetworkSettings']>['Ports']): Map<number, number> {
  const map = new Map<number, number>();
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const match = key.match(/^(\d+)\/tcp$/);
    const binding = bindings?.find((b) => b.HostIp === '127.0.0.1') ?? bindings?.[0];
    if (match?.[1] && binding?.HostPort) map.set(Number(match[1]), Number(binding.HostPort));
  }
  return map;
}

function failure(what: string, result: { code: number; stdout: string; stderr: string }): Error {
  const tail = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .filter((l) => l.trim())
    .slice(-5)
    .join('\n');
  return new Error(`${what} failed (exit ${result.code}): ${tail}`);
}

export function dockerRuntime(runner: Runner = processRunner()): ContainerRuntime {
  const docker = (args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) =>
    runner.run('docker', args, { timeoutMs: options.timeoutMs ?? 60_000, ...(options.env ? { env: options.env } : {}) });
  return {
    engine: () => dockerEngine(runner),
    async image(ref) {
      const result = await docker(['image', 'inspect', '--format', '{{json .}}', ref]);
      if (result.code !== 0) {
        if (/no such image/i.test(result.stderr)) return undefined;
        throw failure(`docker image inspect ${ref}`, result);
      }
      const info = JSON.parse(result.stdout) as { Id: string; Config?: { User?: string } };
      return { id: info.Id, user: info.Config?.User || undefined };
    },
    async run(plan) {
      // `--env KEY` (no value) makes the client read KEY from its own environment:
      // the secret values are in no argv, no file and no log.
      const result = await docker(['run', '--detach', ...plan.dockerArgs], { timeoutMs: 120_000, env: { ...process.env, ...plan.secretEnv } });
      if (result.code !== 0) throw failure('docker run', result);
      return result.stdout.trim().split('\n').pop() ?? '';
    },
    async state(id) {
      const result = await docker(['container', 'inspect', '--format', '{{json .}}', id], { timeoutMs: 15_000 });
      if (result.code !== 0) {
        if (/no such (container|object)/i.test(result.stderr)) return undefined;
        throw failure(`docker container inspect ${id}`, result);
      }
      const info = JSON.parse(result.stdout) as InspectJson;
      const s = info.State;
      return {
        status: s.Status,
        running: s.Running,
        exitCode: s.ExitCode,
        oomKilled: s.OOMKilled,
        error: s.Error,
        startedAt: s.StartedAt,
        finishedAt: s.FinishedAt,
        hostPorts: parseHostPorts(info.NetworkSettings?.Ports),
      };
    },
    async logs(id, tail) {
      // Timestamps let stdout and stderr lines be put back in order; they are stripped after.
      const result = await docker(['logs', '--timestamps', '--tail', String(tail), id], { timeoutMs: 15_000 });
      return `${result.stdout}\n${result.stderr}`
        .split('\n')
        .filter((l) => l.trim())
        .sort()
        .slice(-tail)
        .map((l) => l.replace(/^\S+Z /, ''));
    },
    async exec(id, command, timeoutMs) {
      const result = await docker(['exec', id, ...command], { timeoutMs });
      return { code: result.code, output: `${result.stdout}${result.stderr}`, timedOut: result.timedOut };
    },
    async stop(id, graceSeconds) {
      const result = await docker(['stop', '--time', String(graceSeconds), id], { timeoutMs: (graceSeconds + 30) * 1000 });
      if (result.code !== 0) throw failure(`docker stop ${id}`, result);
    },
    async remove(id) {
      await docker(['rm', '--force', '--volumes', id], { timeoutMs: 30_000 });
    },
  };
}
