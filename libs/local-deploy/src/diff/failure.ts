import { apiMessage } from '../apply.js';

/**
 * Why the diff could not be made, with a fix: the API server's own message for an API error (a numeric
 * status), the cluster being unreachable for a connection error (ECONNREFUSED…), else the error's own
 * message (the synth output's problems say their fix).
 */
export function failureMessage(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = apiMessage(error);
  if (typeof code === 'number' && code > 0) {
    const fix =
      code === 401 || code === 403
        ? "the context's user may not read or dry-run these objects; use a local cluster where you are admin"
        : 'read the API server message above';
    return `the API server answered ${code}: ${message}\nfix: ${fix}`;
  }
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof code === 'string' || typeof cause?.code === 'string') {
    return `could not reach the API server: ${message}\nfix: check the cluster is running and reachable: \`kubectl cluster-info\``;
  }
  return error instanceof Error ? error.message : String(error);
}
