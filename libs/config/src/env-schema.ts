import { z } from 'zod';
import { APP_ENVS, isAppEnv, type AppEnv } from './app-env.js';
import { awsRegionProblems, looksLikePlaceholder, s3BucketProblems } from './rules.js';

/**
 * Where a key lives once the API runs on Kubernetes:
 * - `configMap`: non-secret, rendered into the `rag-api-config` ConfigMap;
 * - `secret`: rendered as a key of the `rag-api-secrets` Secret (value injected at deploy time);
 * - `container`: fixed by the container/pod spec itself (e.g. the port the probes target).
 */
export type Placement = 'configMap' | 'secret' | 'container';

/** Per-environment defaults. ConfigMap keys need one for every environment. */
export type EnvDefaults = Partial<Record<AppEnv, string>>;

export interface EnvKeyMeta {
  placement: Placement;
  description: string;
  /** The value used when the key is unset, per APP_ENV. */
  defaults: EnvDefaults;
  /** One line telling the user how to fix a bad value. */
  hint: string;
}

/** Metadata registry: every key of `envSchema` is registered here (checked at import). */
export const envMeta = z.registry<EnvKeyMeta>();

/** The dev default for the secret key: obviously fake, refused outside dev. */
export const PLACEHOLDER_SECRET = 'placeholder-not-a-real-key';

function withProblems(check: (value: string) => string[]) {
  return (value: string, ctx: z.RefinementCtx) => {
    for (const message of check(value)) ctx.addIssue({ code: 'custom', message });
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number<string>({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/**
 * THE schema of the API's environment. The app parses `process.env` with it;
 * `libs/k8s-manifests` renders the ConfigMap and the Secret's keys from its
 * metadata. Add a key here and it appears everywhere.
 */
export const envSchema = z
  .object({
    APP_ENV: z.enum(APP_ENVS, { error: `must be one of ${APP_ENVS.join(', ')}` }).register(envMeta, {
      placement: 'configMap',
      description: 'Deployment environment; selects the defaults of every other key.',
      defaults: { dev: 'dev', staging: 'staging', prod: 'prod' },
      hint: `use one of ${APP_ENVS.join(', ')}`,
    }),
    AWS_REGION: z.string().superRefine(withProblems(awsRegionProblems)).register(envMeta, {
      placement: 'configMap',
      description: 'AWS region of the documents bucket and (Phase 3) Bedrock.',
      defaults: { dev: 'ap-southeast-2', staging: 'ap-southeast-2', prod: 'ap-southeast-2' },
      hint: 'use a region code such as ap-southeast-2',
    }),
    DOCUMENTS_BUCKET: z.string().superRefine(withProblems(s3BucketProblems)).register(envMeta, {
      placement: 'configMap',
      description: 'S3 bucket holding the source documents for retrieval.',
      defaults: {
        dev: 'llmops-rag-documents-dev',
        staging: 'llmops-rag-documents-staging',
        prod: 'llmops-rag-documents-prod',
      },
      hint: 'use an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens',
    }),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).register(envMeta, {
      placement: 'configMap',
      description: 'Minimum pino log level. Requests are logged at debug.',
      defaults: { dev: 'info', staging: 'info', prod: 'info' },
      hint: 'use one of fatal, error, warn, info, debug, trace, silent',
    }),
    SHUTDOWN_DRAIN_SECONDS: wholeNumber(0, 120).register(envMeta, {
        placement: 'configMap',
        description:
          'Seconds between SIGTERM and closing the listener, while /health/ready answers 503 so the pod leaves the Service endpoints.',
        defaults: { dev: '5', staging: '5', prod: '5' },
        hint: 'use whole seconds between 0 and 120 (the pod grace period is derived from it)',
      }),
    OPENAI_API_KEY: z.string().min(1, 'must not be empty').register(envMeta, {
      placement: 'secret',
      description: 'OpenAI API key (Phase 3). Injected from the rag-api-secrets Secret.',
      defaults: { dev: PLACEHOLDER_SECRET },
      hint: 'export OPENAI_API_KEY (or put it in the git-ignored .env) before deploying',
    }),
    PORT: wholeNumber(1, 65_535).register(envMeta, {
      placement: 'container',
      description: 'TCP port the API listens on; fixed by the container port the probes target.',
      defaults: { dev: '8000', staging: '8000', prod: '8000' },
      hint: 'use a port number between 1 and 65535',
    }),
    HOST: z.string().min(1, 'must not be empty').register(envMeta, {
      placement: 'container',
      description: 'Interface the API binds; 0.0.0.0 so the kubelet and the Service reach it.',
      defaults: { dev: '0.0.0.0', staging: '0.0.0.0', prod: '0.0.0.0' },
      hint: 'use an IP address or host name such as 0.0.0.0',
    }),
  })
  .strip()
  .superRefine(refusePlaceholderSecretsOutsideDev, { when: () => true });

/** Runs even when other keys failed, so one error reports every problem. */
function refusePlaceholderSecretsOutsideDev(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
    if (!isAppEnv(env.APP_ENV) || env.APP_ENV === 'dev') return;
    for (const [key, schema] of Object.entries(envSchema.shape)) {
      if (envMeta.get(schema)?.placement !== 'secret') continue;
      const value = env[key];
      if (typeof value === 'string' && looksLikePlaceholder(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is a placeholder, refused when APP_ENV=${env.APP_ENV}` });
      }
    }
}

export type EnvConfig = z.output<typeof envSchema>;
export type EnvKey = keyof EnvConfig;
