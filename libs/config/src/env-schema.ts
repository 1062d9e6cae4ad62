import { isIP } from 'node:net';
// zod/mini, not zod: the same validation core without the chainable API, which costs the API process
// about 5 MiB of idle memory and 20 ms of start-up (measured with `npm run bench:http`, issue 11).
import * as z from 'zod/mini';
import { APP_ENVS, CONTAINER_PORT, isAppEnv, type AppEnv } from '@llmops-rag/contract';
import { awsRegionProblems } from './aws-regions.js';
import { s3BucketProblems } from './s3-bucket-rules.js';
import { looksLikePlaceholder, secretWhitespaceProblems } from './secret-rules.js';

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

/** A string key whose value `problems` describes: each problem it lists is one issue of the key. */
function stringWith(problems: (value: string) => string[]) {
  return z.string().check(
    z.superRefine((value: string, ctx: z.core.$RefinementCtx) => {
      for (const message of problems(value)) ctx.addIssue({ code: 'custom', message });
    }),
  );
}

/** One of a fixed list, and the error names the list. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A whole number written in plain decimal digits, within [min, max]. Refuses
 * what `Number()` would quietly accept: hex (`0x1f`), exponents (`1e1`),
 * `+5`, `5.0`, surrounding spaces. Every integer key uses it.
 */
const wholeNumber = (min: number, max: number) =>
  z.pipe(
    stringWith((value) => wholeNumberProblems(value, min, max)),
    z.transform(Number),
  );

function wholeNumberProblems(value: string, min: number, max: number): string[] {
  if (!/^-?[0-9]+$/.test(value)) return ['must be a whole number in plain decimal digits (no hex, exponent, sign, decimal point or spaces)'];
  const number = Number(value);
  if (number < min) return [`must be at least ${min}`];
  if (number > max) return [`must be at most ${max}`];
  return [];
}

const HOST_NAME = z.hostname();

function hostProblems(value: string): string[] {
  return isIP(value) !== 0 || HOST_NAME.safeParse(value).success ? [] : ['is not an IP address or host name'];
}

/**
 * THE schema of the API's environment. The app parses `process.env` with it;
 * `libs/k8s-manifests` renders the ConfigMap and the Secret's keys from its
 * metadata. Add a key here and it appears everywhere.
 */
export const envSchema = z
  .object({
    APP_ENV: oneOf(APP_ENVS).register(envMeta, {
      placement: 'configMap',
      description: 'Deployment environment; selects the defaults of every other key.',
      defaults: { dev: 'dev', staging: 'staging', prod: 'prod' },
      hint: `use one of ${APP_ENVS.join(', ')}`,
    }),
    AWS_REGION: stringWith(awsRegionProblems).register(envMeta, {
      placement: 'configMap',
      description: 'AWS region of the documents bucket and (Phase 3) Bedrock.',
      defaults: { dev: 'ap-southeast-2', staging: 'ap-southeast-2', prod: 'ap-southeast-2' },
      hint: 'use a region code of an AWS partition, such as ap-southeast-2, cn-north-1 or us-gov-west-1',
    }),
    DOCUMENTS_BUCKET: stringWith(s3BucketProblems).register(envMeta, {
      placement: 'configMap',
      description: 'S3 bucket holding the source documents for retrieval.',
      defaults: {
        dev: 'llmops-rag-documents-dev',
        staging: 'llmops-rag-documents-staging',
        prod: 'llmops-rag-documents-prod',
      },
      hint: 'use an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens',
    }),
    LOG_LEVEL: oneOf(LOG_LEVELS).register(envMeta, {
      placement: 'configMap',
      description: 'Minimum pino log level. Requests are logged at debug.',
      defaults: { dev: 'info', staging: 'info', prod: 'info' },
      hint: `use one of ${LOG_LEVELS.join(', ')}`,
    }),
    SHUTDOWN_DRAIN_SECONDS: wholeNumber(0, 120).register(envMeta, {
      placement: 'configMap',
      description: 'Seconds between SIGTERM and closing the listener, while /health/ready answers 503 so the pod leaves the Service endpoints.',
      defaults: { dev: '5', staging: '5', prod: '5' },
      hint: 'use whole seconds between 0 and 120 in decimal digits, e.g. 5 (the pod grace period is derived from it)',
    }),
    OPENAI_API_KEY: z
      .string()
      .check(z.minLength(1, 'must not be empty'))
      .register(envMeta, {
        placement: 'secret',
        description: 'OpenAI API key (Phase 3). Injected from the rag-api-secrets Secret.',
        defaults: { dev: PLACEHOLDER_SECRET },
        hint: 'export OPENAI_API_KEY with the real key, no quotes or spaces around it (or put it in the git-ignored .env) before deploying',
      }),
    PORT: wholeNumber(1, 65_535).register(envMeta, {
      placement: 'container',
      description: 'TCP port the API listens on; fixed by the container port the probes target.',
      defaults: { dev: `${CONTAINER_PORT}`, staging: `${CONTAINER_PORT}`, prod: `${CONTAINER_PORT}` },
      hint: `use a port number between 1 and 65535 in decimal digits, e.g. ${CONTAINER_PORT}`,
    }),
    HOST: stringWith(hostProblems).register(envMeta, {
      placement: 'container',
      description: 'Interface the API binds; 0.0.0.0 so the kubelet and the Service reach it.',
      defaults: { dev: '0.0.0.0', staging: '0.0.0.0', prod: '0.0.0.0' },
      hint: 'use an IP address or host name such as 0.0.0.0',
    }),
  })
  .check(z.superRefine(refuseUnusableSecrets, { when: () => true }));

/**
 * Secret keys (by metadata, so a new one is covered too): whitespace is
 * refused everywhere, placeholders outside dev. Runs even when other keys
 * failed, so one error reports every problem. Messages never hold the value.
 */
function refuseUnusableSecrets(env: Record<string, unknown>, ctx: z.core.$RefinementCtx): void {
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    if (envMeta.get(schema)?.placement !== 'secret') continue;
    const value = env[key];
    if (typeof value !== 'string') continue;
    for (const message of secretWhitespaceProblems(value)) ctx.addIssue({ code: 'custom', path: [key], message });
    if (isAppEnv(env.APP_ENV) && env.APP_ENV !== 'dev' && looksLikePlaceholder(value)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `is a placeholder, refused when APP_ENV=${env.APP_ENV}` });
    }
  }
}

export type EnvConfig = z.output<typeof envSchema>;
export type EnvKey = keyof EnvConfig;
