import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface DockerOptions {
  /** Kill the client after this long (the engine may go on; callers clean up). */
  timeoutMs?: number;
  /** Extra environment for the client (merged over process.env). */
  env?: NodeJS.ProcessEnv;
  /** Piped to the client's stdin (e.g. a tar stream for `docker import -`). */
  stdin?: Readable;
  /** Each non-empty output line as it arrives (progress on long steps). */
  onLine?: (line: string) => void;
  cwd?: string;
}

/** Runs the `docker` client; never throws for a non-zero exit (see `dockerOk`). */
export function docker(args: readonly string[], options: DockerOptions = {}): Promise<DockerResult> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    if (options.stdin && child.stdin) {
      // The client may exit early (bad arguments); its error output says why, not the EPIPE.
      child.stdin.on('error', () => undefined);
      options.stdin.pipe(child.stdin);
    }
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const emit = (text: string) => {
      if (!options.onLine) return;
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onLine(line);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      emit(chunk.toString());
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      emit(chunk.toString());
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (options.onLine && pending.trim()) options.onLine(pending);
      resolve({ code: code ?? 1, stdout, stderr, timedOut });
    });
  });
}

/** Like `docker` but throws, naming the command and its last output lines, on failure. */
export async function dockerOk(args: readonly string[], options: DockerOptions = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim()).slice(-8).join('\n');
    throw new Error(`\`docker ${args.join(' ')}\` failed (exit ${result.code}${result.timedOut ? ', timed out' : ''}):\n${tail}`);
  }
  return result.stdout.trim();
}

export type EngineStatus = { ok: true; version: string } | { ok: false; reason: string };

/** Whether a Docker engine answers; the reason names the fix when not. */
export async function dockerEngine(): Promise<EngineStatus> {
  const result = await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
  const version = result.stdout.trim();
  if (result.code === 0 && version) return { ok: true, version };
  const why = result.code === 127 ? 'no docker client on PATH' : (result.stderr.trim().split('\n').pop() ?? `docker info exited ${result.code}`);
  return { ok: false, reason: `no Docker engine answers \`docker info\` (${why}); start one with \`bash tools/ci/ensure-docker.sh\`` };
}

export interface ImageInfo {
  Id: string;
  RepoTags: string[] | null;
  Size: number;
  Config: {
    User?: string;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    ExposedPorts?: Record<string, object> | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
  };
}

/** `docker image inspect` of one image, or undefined when the engine has no such image. */
export async function inspectImage(ref: string): Promise<ImageInfo | undefined> {
  const result = await docker(['image', 'inspect', ref], { timeoutMs: 30_000 });
  if (result.code !== 0) {
    if (/no such image/i.test(result.stderr)) return undefined;
    throw new Error(`\`docker image inspect ${ref}\` failed: ${result.stderr.trim()}`);
  }
  const [info] = JSON.parse(result.stdout) as ImageInfo[];
  return info;
}

/**
 * Environment for `docker build`: the legacy builder unless the caller chose
 * (DOCKER_BUILDKIT set) or buildx is installed. A docker 23+ client without
 * buildx refuses to build with BuildKit, and `DOCKER_BUILDKIT=0` works with
 * every client and engine.
 */
export async function buildEnv(): Promise<NodeJS.ProcessEnv> {
  if (process.env.DOCKER_BUILDKIT !== undefined) return {};
  const buildx = await docker(['buildx', 'version'], { timeoutMs: 10_000 });
  return buildx.code === 0 ? {} : { DOCKER_BUILDKIT: '0' };
}
