import type { FastifyInstance } from 'fastify';
import type { Readiness } from './readiness.js';

export interface GracefulShutdownOptions {
  app: FastifyInstance;
  readiness: Readiness;
  /** Seconds to keep serving after the signal while readiness reports 503. */
  drainSeconds: number;
  /** Injected for tests; defaults to process.exit. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * Kubernetes shutdown: on SIGTERM/SIGINT readiness turns 503 at once so the
 * endpoint controller removes the pod, every other request is still served
 * for the drain period, then the listener closes, in-flight requests finish
 * and the process exits 0. A second signal exits at once (code 1).
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): () => void {
  const { app, readiness, drainSeconds, exit = (code) => process.exit(code), signals = ['SIGTERM', 'SIGINT'] } = options;
  let shuttingDown = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      app.log.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    readiness.markShuttingDown();
    app.log.info({ signal, drainSeconds }, 'shutdown started: readiness is 503, draining');
    setTimeout(() => {
      app.log.info('drain over: closing the listener, waiting for in-flight requests');
      app.close().then(
        () => {
          app.log.info('shutdown complete');
          exit(0);
        },
        (err: unknown) => {
          app.log.error({ err }, 'error while closing');
          exit(1);
        },
      );
    }, drainSeconds * 1000);
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
