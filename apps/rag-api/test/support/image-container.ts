import { docker, dockerOk } from '@llmops-rag/workspace-tools';

/** The pod's hardening, as docker flags: what the image must run under. */
export const HARDENED = ['--read-only', '--tmpfs', '/tmp:rw,nosuid,nodev,size=64m', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];

/** A minimal valid dev environment (the placeholder secret is fine in dev). */
export const DEV_ENV: Record<string, string> = {
  APP_ENV: 'dev',
  AWS_REGION: 'ap-southeast-2',
  DOCUMENTS_BUCKET: 'llmops-rag-documents-dev',
  OPENAI_API_KEY: 'placeholder-not-a-real-key',
  LOG_LEVEL: 'info',
};

export interface RunningContainer {
  id: string;
  baseUrl: string;
  logs(): Promise<string>;
  remove(): Promise<void>;
}

/** `docker run --detach` of the image with port 8000 on an ephemeral 127.0.0.1 port. */
export async function startContainer(image: string, env: Record<string, string>, extraArgs: string[] = []): Promise<RunningContainer> {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const id = await dockerOk(['run', '--detach', '--label', 'io.llmops-rag.test=image', '--publish', '127.0.0.1::8000', ...envArgs, ...extraArgs, image]);
  const remove = async () => {
    await docker(['rm', '--force', id]);
  };
  const logs = async () => {
    const result = await docker(['logs', id]);
    return `${result.stdout}${result.stderr}`;
  };
  try {
    const port = (await dockerOk(['port', id, '8000/tcp'])).split('\n')[0]?.split(':').pop();
    if (!port) throw new Error(`container ${id} publishes no port for 8000/tcp`);
    return { id, baseUrl: `http://127.0.0.1:${port}`, logs, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Polls `url` until it answers `status`; fails with the container's logs. */
export async function waitForStatus(container: RunningContainer, path: string, status: number, timeoutMs = 15_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(`${container.baseUrl}${path}`, { signal: AbortSignal.timeout(1000) });
      if (response.status === status) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms; logs:\n${await container.logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The container's state after it stopped. */
export async function exitState(id: string): Promise<{ exitCode: number; oomKilled: boolean; running: boolean }> {
  const json = await dockerOk(['container', 'inspect', '--format', '{{json .State}}', id]);
  const state = JSON.parse(json) as { ExitCode: number; OOMKilled: boolean; Running: boolean };
  return { exitCode: state.ExitCode, oomKilled: state.OOMKilled, running: state.Running };
}

/** Runs a one-off script with the image's own node (the only binary there is). */
export async function nodeInImage(image: string, script: string, extraArgs: string[] = []): Promise<string> {
  return dockerOk(['run', '--rm', '--network', 'none', ...extraArgs, '--entrypoint', '/nodejs/bin/node', image, '-e', script]);
}
