import { dockerEngine, processRunner, tail } from '@llmops-rag/platform';

/** The k3s image the end-to-end test runs; override with K3S_IMAGE. */
export const K3S_IMAGE = process.env.K3S_IMAGE ?? 'rancher/k3s:v1.32.5-k3s1';

/**
 * Why the k3s end-to-end test cannot run here, or undefined when it can:
 * it needs a Docker engine and the rancher/k3s image, present locally or
 * pullable (tried with a short timeout, so an offline machine skips quickly).
 */
export async function k3sUnavailableReason(image = K3S_IMAGE): Promise<string | undefined> {
  const runner = processRunner();
  const engine = await dockerEngine(runner);
  if (!engine.ok) return oneLine(engine.reason);
  const inspect = await runner.run('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 10_000 });
  if (inspect.code === 0) return undefined;
  const pull = await runner.run('docker', ['pull', image], { timeoutMs: 45_000 });
  if (pull.code === 0) return undefined;
  return `${image} is not present locally and cannot be pulled (${oneLine(pull.timedOut ? 'pull timed out after 45s' : tail(pull, 1))})`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
