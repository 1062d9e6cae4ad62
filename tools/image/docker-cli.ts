import { processRunner, type RunOptions, type RunResult } from '@llmops-rag/platform';

/** libs/platform's one Docker-engine check, for the image tests that go through these helpers. */
export { dockerEngine, type EngineStatus } from '@llmops-rag/platform';

/** The docker client goes through the same process boundary as the deploy's tools. */
export type DockerResult = RunResult;
export type DockerOptions = RunOptions;

/** Runs the `docker` client; never throws for a non-zero exit (see `dockerOk`). */
export function docker(args: readonly string[], options: DockerOptions = {}): Promise<DockerResult> {
  return processRunner().run('docker', args, { ...options, env: { ...process.env, ...options.env } });
}

/** Like `docker` but throws, naming the command and its last output lines, on failure. */
export async function dockerOk(args: readonly string[], options: DockerOptions = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((l) => l.trim())
      .slice(-8)
      .join('\n');
    throw new Error(`\`docker ${args.join(' ')}\` failed (exit ${result.code}${result.timedOut ? ', timed out' : ''}):\n${tail}`);
  }
  return result.stdout.trim();
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
