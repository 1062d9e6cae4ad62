/** The probe endpoints the app serves and the Deployment's probes call. */
export const HEALTH_PATHS = { live: '/health/live', ready: '/health/ready' } as const;

/** The `status` each endpoint answers with while the app is healthy (and `/health/ready` while it is not). */
export const HEALTH_STATUS = {
  health: 'healthy',
  live: 'alive',
  ready: 'ready',
  notReady: 'not_ready',
} as const;

/** The general health endpoint (status plus server time); not a probe. */
export const HEALTH_PATH = '/health';
