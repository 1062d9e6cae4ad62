export type CheckState = 'ok' | 'shutting_down' | 'failing';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckState>;
}

/**
 * What /health/ready reports. Checks start `ok`; Phase 3 adds dependencies
 * (vector store, Bedrock) as checks here. Shutdown flips `api` at once so
 * Kubernetes takes the pod out of the Service before it stops listening.
 */
export class Readiness {
  private readonly checks = new Map<string, CheckState>([['api', 'ok']]);

  set(check: string, state: CheckState): void {
    this.checks.set(check, state);
  }

  markShuttingDown(): void {
    this.set('api', 'shutting_down');
  }

  report(): ReadinessReport {
    const checks = Object.fromEntries(this.checks);
    return { ready: [...this.checks.values()].every((s) => s === 'ok'), checks };
  }
}
