import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Deployment } from './kube-types.js';
import { readProfile, type ProfileObjects } from './read-profile.js';
import { buildRunPlan, PlanError, runAsNonRootProblem, type PlanInputs, type RunPlan } from './run-plan.js';
import { resolveSecret } from './secret-values.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/dev', import.meta.url));
const SECRET_VALUE = 'sk-test-value-that-must-not-reach-argv';

function planFrom(objects: ProfileObjects, overrides: Partial<PlanInputs> = {}): RunPlan {
  return buildRunPlan({
    deployment: objects.deployment,
    configMaps: objects.configMaps,
    secrets: objects.secrets.map((s) => resolveSecret(s, { OPENAI_API_KEY: SECRET_VALUE }, {})),
    runName: 'rehearsal-test',
    label: 'io.llmops-rag.rehearsal=test',
    ...overrides,
  });
}

/** `--flag value` pairs of the docker args. */
function values(args: readonly string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));
}

function withContainer(objects: ProfileObjects, change: (c: Deployment['spec']['template']['spec']['containers'][number]) => void): ProfileObjects {
  const copy = structuredClone(objects);
  const container = copy.deployment.spec.template.spec.containers[0];
  if (!container) throw new Error('fixture has no container');
  change(container);
  return copy;
}

describe('reading a synthesized profile', () => {
  it('parses every YAML document and picks the Deployment, ConfigMaps and Secrets', () => {
    const objects = readProfile(FIXTURE, 'rag-api');
    expect(objects.deployment.metadata.name).toBe('rag-api');
    expect(objects.configMaps.map((c) => c.metadata.name)).toEqual(['rag-api-config']);
    expect(objects.secrets.map((s) => s.metadata.name)).toEqual(['rag-api-secrets']);
  });

  it('names the fix when synth has not run', () => {
    expect(() => readProfile('/nonexistent/dist/k8s/dev', 'rag-api')).toThrow(/nx run k8s-manifests:synth/);
  });

  it('lists what it found when the Deployment is missing', () => {
    expect(() => readProfile(FIXTURE, 'other')).toThrow(
      /no Deployment\/other among .*Deployment\/rag-api.*\nfix: npx nx run k8s-manifests:synth, or pass the right --deployment/,
    );
  });
});

describe('the docker run plan', () => {
  const objects = readProfile(FIXTURE, 'rag-api');
  const plan = planFrom(objects);

  it('applies the securityContext: user, fsGroup, read-only root, no capabilities, no privilege escalation', () => {
    expect(values(plan.dockerArgs, '--user')).toEqual(['10001:10001']);
    expect(values(plan.dockerArgs, '--group-add')).toEqual(['10001']);
    expect(plan.dockerArgs).toContain('--read-only');
    expect(values(plan.dockerArgs, '--cap-drop')).toEqual(['ALL']);
    expect(values(plan.dockerArgs, '--security-opt')).toEqual(['no-new-privileges']);
    expect(plan.runAsNonRoot).toBe(true);
  });

  it('mounts each emptyDir as a tmpfs with its sizeLimit', () => {
    expect(values(plan.dockerArgs, '--tmpfs')).toEqual([`/tmp:rw,nosuid,nodev,exec,mode=1777,size=${64 * 2 ** 20}`]);
  });

  it('turns the limits into --memory (no swap) and --cpus, the request into cpu shares', () => {
    expect(values(plan.dockerArgs, '--memory')).toEqual([String(512 * 2 ** 20)]);
    expect(values(plan.dockerArgs, '--memory-swap')).toEqual([String(512 * 2 ** 20)]);
    expect(values(plan.dockerArgs, '--cpus')).toEqual(['0.5']);
    expect(values(plan.dockerArgs, '--cpu-shares')).toEqual(['102']);
    expect(plan.notes.join('\n')).toMatch(/ephemeral-storage limit 256Mi is not enforced/);
  });

  it('publishes the container port on 127.0.0.1 only, on an ephemeral host port', () => {
    expect(values(plan.dockerArgs, '--publish')).toEqual(['127.0.0.1::8000']);
  });

  it('builds the env like the kubelet: envFrom in order, then env wins', () => {
    const env = values(plan.dockerArgs, '--env');
    expect(env).toContain('APP_ENV=dev');
    expect(env).toContain('PORT=8000');
    expect(env).not.toContain('PORT=9999');
    expect(plan.env.find((e) => e.name === 'PORT')?.source).toEqual({ kind: 'literal' });
  });

  it('passes secrets as `--env KEY` with the value only in the client environment', () => {
    expect(values(plan.dockerArgs, '--env')).toContain('OPENAI_API_KEY');
    expect(plan.dockerArgs.join(' ')).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(plan.env)).not.toContain(SECRET_VALUE);
    expect(plan.secretEnv).toEqual({ OPENAI_API_KEY: SECRET_VALUE });
    expect(plan.env.find((e) => e.name === 'OPENAI_API_KEY')?.source).toEqual({ kind: 'secret', name: 'rag-api-secrets', valueFrom: 'environment' });
  });

  it('puts the image last, after every option', () => {
    expect(plan.dockerArgs.at(-1)).toBe('llmops-rag-api:latest');
    expect(planFrom(objects, { image: 'sha256:abc' }).dockerArgs.at(-1)).toBe('sha256:abc');
  });

  it('resolves named probe ports and applies the API defaults', () => {
    const liveness = plan.probes.find((p) => p.kind === 'liveness');
    expect(liveness?.action).toEqual({ type: 'http', scheme: 'HTTP', path: '/health/live', port: 8000, headers: {} });
    const startup = plan.probes.find((p) => p.kind === 'startup');
    expect(startup).toMatchObject({ initialDelaySeconds: 0, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 30 });
  });

  it('keeps the preStop hook and the grace period', () => {
    expect(plan.preStop).toEqual({ type: 'sleep', seconds: 1 });
    expect(plan.terminationGracePeriodSeconds).toBe(15);
  });

  it('maps command/args onto --entrypoint and the arguments after the image', () => {
    const custom = planFrom(
      withContainer(objects, (c) => Object.assign(c, { command: ['/nodejs/bin/node', '--max-old-space-size=256'], args: ['/app/main.js'] })),
    );
    expect(values(custom.dockerArgs, '--entrypoint')).toEqual(['/nodejs/bin/node']);
    expect(custom.dockerArgs.slice(-3)).toEqual(['llmops-rag-api:latest', '--max-old-space-size=256', '/app/main.js']);
  });

  it('fails like CreateContainerConfigError when an envFrom ConfigMap is missing', () => {
    const broken = withContainer(objects, (c) => (c.envFrom = [{ configMapRef: { name: 'nope' } }]));
    expect(() => planFrom(broken)).toThrow(PlanError);
    expect(() => planFrom(broken)).toThrow(/CreateContainerConfigError: envFrom configMapRef "nope" not found/);
    const optional = withContainer(objects, (c) => (c.envFrom = [{ configMapRef: { name: 'nope', optional: true } }]));
    expect(() => planFrom(optional)).not.toThrow();
  });

  it('refuses a probe on a port name the container does not declare', () => {
    const broken = withContainer(objects, (c) => (c.readinessProbe = { httpGet: { path: '/health/ready', port: 'web' } }));
    expect(() => planFrom(broken)).toThrow(/readinessProbe: port "web" is not a named port of container api \(named: http\)/);
  });

  it('refuses a volumeMount without a volume', () => {
    const broken = withContainer(objects, (c) => (c.volumeMounts = [{ name: 'cache', mountPath: '/cache' }]));
    expect(() => planFrom(broken)).toThrow(/volumeMount "cache" at \/cache names no volume/);
  });
});

describe('runAsNonRoot', () => {
  it('passes with an explicit non-root runAsUser', () => {
    expect(runAsNonRootProblem({ runAsNonRoot: true, user: { uid: 10001 } }, undefined)).toBeUndefined();
  });
  it("falls back to the image's USER, which must be numeric and non-zero", () => {
    expect(runAsNonRootProblem({ runAsNonRoot: true }, '10001:10001')).toBeUndefined();
    expect(runAsNonRootProblem({ runAsNonRoot: true }, undefined)).toMatch(/runs as root/);
    expect(runAsNonRootProblem({ runAsNonRoot: true }, 'nonroot')).toMatch(/not numeric/);
  });
  it('rejects runAsUser 0', () => {
    expect(runAsNonRootProblem({ runAsNonRoot: true, user: { uid: 0 } }, '10001')).toMatch(/runAsUser is 0/);
  });
});
