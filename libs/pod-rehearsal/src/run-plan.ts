import type { ConfigMap, Container, Deployment, IntOrString, LifecycleHandler, PodSpec, Probe, SecurityContext } from './kube-types.js';
import { cpuCores, cpuShares, memoryBytes } from './docker-limits.js';
import type { ResolvedSecret, SecretValueSource } from './secret-values.js';

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export type ProbeAction =
  | { type: 'http'; scheme: 'HTTP' | 'HTTPS'; path: string; port: number; headers: Record<string, string> }
  | { type: 'tcp'; port: number }
  | { type: 'exec'; command: string[] };

/** A probe with the kubelet's defaults applied and its port resolved to a number. */
export interface ProbePlan {
  kind: ProbeKind;
  action: ProbeAction;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

export type PreStopPlan =
  { type: 'sleep'; seconds: number } | { type: 'http'; action: Extract<ProbeAction, { type: 'http' }> } | { type: 'exec'; command: string[] };

export type EnvSource = { kind: 'literal' } | { kind: 'configMap'; name: string } | { kind: 'secret'; name: string; valueFrom: SecretValueSource };

/** One variable of the container's environment; secret values are never kept here. */
export interface EnvEntry {
  name: string;
  source: EnvSource;
  /** Plain value (literal or ConfigMap); undefined for secrets. */
  value?: string;
}

/** How to run the Deployment's container with `docker run`, as the kubelet would. */
export interface RunPlan {
  deployment: string;
  container: string;
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** Arguments after `docker run --detach`; secret values are not among them (only `-e KEY`). */
  dockerArgs: string[];
  /** Values of the secret `-e KEY` arguments: put only in the docker client's environment. */
  secretEnv: Record<string, string>;
  env: EnvEntry[];
  /** Container ports to publish on 127.0.0.1 (declared ports plus probe/preStop ports). */
  publishPorts: number[];
  probes: ProbePlan[];
  preStop?: PreStopPlan;
  terminationGracePeriodSeconds: number;
  /** The user the pod spec asks for; undefined = the image's USER. */
  user?: { uid: number; gid?: number };
  runAsNonRoot: boolean;
  limits: { memoryBytes?: number; cpus?: number };
  /** What the rehearsal does not reproduce, said plainly in the report. */
  notes: string[];
}

export interface PlanInputs {
  deployment: Deployment;
  configMaps: readonly ConfigMap[];
  secrets: readonly ResolvedSecret[];
  /** The container to run; default: the only (or first) container. */
  containerName?: string;
  /** Overrides the container's image (e.g. a freshly built image ID). */
  image?: string;
  /** The docker container name. */
  runName: string;
  /** Label put on the container so leftovers can be found (`docker ps --filter label=…`). */
  label: string;
}

/** The defaults of the Kubernetes API for probe timings. */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;
export const DEFAULT_GRACE_SECONDS = 30;

export class PlanError extends Error {
  override name = 'PlanError';
}

function pickContainer(pod: PodSpec, wanted: string | undefined, deployment: string): Container {
  const container = wanted ? pod.containers.find((c) => c.name === wanted) : pod.containers[0];
  if (!container) {
    throw new PlanError(
      `Deployment/${deployment} has no container ${wanted ? `"${wanted}"` : ''} (has: ${pod.containers.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  return container;
}

function resolvePort(port: IntOrString, container: Container, where: string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named)
    throw new PlanError(
      `${where}: port "${port}" is not a named port of container ${container.name} (named: ${
        container.ports
          ?.map((p) => p.name)
          .filter(Boolean)
          .join(', ') || 'none'
      })`,
    );
  return named.containerPort;
}

function httpAction(get: NonNullable<Probe['httpGet']>, container: Container, where: string, notes: string[]): Extract<ProbeAction, { type: 'http' }> {
  if (get.host) notes.push(`${where}: httpGet.host "${get.host}" is ignored; the rehearsal probes through the published port on 127.0.0.1`);
  return {
    type: 'http',
    scheme: get.scheme ?? 'HTTP',
    path: get.path ?? '/',
    port: resolvePort(get.port, container, where),
    headers: Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value])),
  };
}

function probePlan(kind: ProbeKind, probe: Probe | undefined, container: Container, notes: string[]): ProbePlan | undefined {
  if (!probe) return undefined;
  const where = `${kind}Probe`;
  let action: ProbeAction;
  if (probe.httpGet) action = httpAction(probe.httpGet, container, where, notes);
  else if (probe.tcpSocket) action = { type: 'tcp', port: resolvePort(probe.tcpSocket.port, container, where) };
  else if (probe.exec) action = { type: 'exec', command: probe.exec.command };
  else throw new PlanError(`${where} of container ${container.name}: only httpGet, tcpSocket and exec probes can be rehearsed (grpc is not supported)`);
  return {
    kind,
    action,
    initialDelaySeconds: probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: probe.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    successThreshold: probe.successThreshold ?? PROBE_DEFAULTS.successThreshold,
    failureThreshold: probe.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
  };
}

function preStopPlan(handler: LifecycleHandler | undefined, container: Container, notes: string[]): PreStopPlan | undefined {
  if (!handler) return undefined;
  if (handler.sleep) return { type: 'sleep', seconds: handler.sleep.seconds };
  if (handler.httpGet) return { type: 'http', action: httpAction(handler.httpGet, container, 'preStop', notes) };
  if (handler.exec) return { type: 'exec', command: handler.exec.command };
  throw new PlanError(`preStop of container ${container.name} has no sleep, httpGet or exec action`);
}

/**
 * The container's environment as the kubelet builds it: envFrom sources in
 * order (later ones win), then `env` (wins over envFrom). A missing
 * non-optional ConfigMap/Secret or key is CreateContainerConfigError.
 */
export function resolveEnv(
  container: Container,
  configMaps: readonly ConfigMap[],
  secrets: readonly ResolvedSecret[],
): { env: EnvEntry[]; secretEnv: Record<string, string>; notes: string[] } {
  const entries = new Map<string, EnvEntry>();
  const secretEnv: Record<string, string> = {};
  const notes: string[] = [];
  const set = (entry: EnvEntry, secretValue?: string) => {
    entries.delete(entry.name); // re-insert: the last definition decides the order too
    entries.set(entry.name, entry);
    if (entry.source.kind === 'secret' && secretValue !== undefined) secretEnv[entry.name] = secretValue;
    else delete secretEnv[entry.name];
  };
  const configMap = (name: string) => configMaps.find((c) => c.metadata.name === name);
  const secret = (name: string) => secrets.find((s) => s.name === name);
  const missing = (what: string) =>
    new PlanError(
      `CreateContainerConfigError: ${what} (container ${container.name}); the pod would never start. Fix the reference or add the object to the chart`,
    );

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const found = configMap(from.configMapRef.name);
      if (!found) {
        if (from.configMapRef.optional) continue;
        throw missing(`envFrom configMapRef "${from.configMapRef.name}" not found`);
      }
      for (const [key, value] of Object.entries(found.data ?? {})) set({ name: prefix + key, source: { kind: 'configMap', name: found.metadata.name }, value });
    } else if (from.secretRef) {
      const found = secret(from.secretRef.name);
      if (!found) {
        if (from.secretRef.optional) continue;
        throw missing(`envFrom secretRef "${from.secretRef.name}" not found`);
      }
      for (const [key, value] of Object.entries(found.values)) {
        set({ name: prefix + key, source: { kind: 'secret', name: found.name, valueFrom: found.sources[key] ?? 'manifest' } }, value);
      }
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      set({ name: variable.name, source: { kind: 'literal' }, value: variable.value ?? '' });
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const value = configMap(ref.name)?.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw missing(`env ${variable.name}: key "${ref.key}" of ConfigMap "${ref.name}" not found`);
      }
      set({ name: variable.name, source: { kind: 'configMap', name: ref.name }, value });
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const found = secret(ref.name);
      const value = found?.values[ref.key];
      if (value === undefined || !found) {
        if (ref.optional) continue;
        throw missing(`env ${variable.name}: key "${ref.key}" of Secret "${ref.name}" not found`);
      }
      set({ name: variable.name, source: { kind: 'secret', name: ref.name, valueFrom: found.sources[ref.key] ?? 'manifest' } }, value);
    } else {
      notes.push(`env ${variable.name}: ${from.fieldRef ? `fieldRef ${from.fieldRef.fieldPath}` : 'resourceFieldRef'} is not reproduced (left unset)`);
    }
  }
  return { env: [...entries.values()], secretEnv, notes };
}

/** Container-level securityContext over the pod-level one, as the kubelet merges them. */
export function effectiveSecurity(pod: PodSpec, container: Container): SecurityContext & { fsGroup?: number; supplementalGroups?: number[] } {
  const { fsGroup, supplementalGroups, ...podLevel } = pod.securityContext ?? {};
  return { ...podLevel, ...container.securityContext, fsGroup, supplementalGroups };
}

function securityArgs(security: ReturnType<typeof effectiveSecurity>, notes: string[]): string[] {
  const args: string[] = [];
  if (security.runAsUser !== undefined)
    args.push('--user', security.runAsGroup !== undefined ? `${security.runAsUser}:${security.runAsGroup}` : String(security.runAsUser));
  for (const group of [security.fsGroup, ...(security.supplementalGroups ?? [])]) if (group !== undefined) args.push('--group-add', String(group));
  if (security.readOnlyRootFilesystem) args.push('--read-only');
  if (security.privileged) args.push('--privileged');
  for (const cap of security.capabilities?.drop ?? []) args.push('--cap-drop', cap);
  for (const cap of security.capabilities?.add ?? []) args.push('--cap-add', cap);
  // Kubernetes' default for allowPrivilegeEscalation is true (unless privileged or CAP_SYS_ADMIN); only `false` sets no_new_privs.
  if (security.allowPrivilegeEscalation === false) args.push('--security-opt', 'no-new-privileges');
  const seccomp = security.seccompProfile?.type;
  if (seccomp === 'Unconfined') args.push('--security-opt', 'seccomp=unconfined');
  else if (seccomp === 'RuntimeDefault') notes.push("seccomp RuntimeDefault: Docker's default profile (the container runtime's default, as on a node)");
  else if (seccomp === 'Localhost') notes.push('seccomp Localhost profile is not reproduced (Docker default profile used)');
  else notes.push('no seccompProfile: on a node the pod would run Unconfined unless the kubelet defaults it; Docker applies its default profile');
  return args;
}

function volumeArgs(pod: PodSpec, container: Container, notes: string[]): string[] {
  const args: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    if (!volume) throw new PlanError(`volumeMount "${mount.name}" at ${mount.mountPath} names no volume of the pod; the pod would be rejected`);
    if (volume.emptyDir) {
      const options = [mount.readOnly ? 'ro' : 'rw', 'nosuid', 'nodev', 'exec', 'mode=1777'];
      const limit = volume.emptyDir.sizeLimit;
      if (limit !== undefined) options.push(`size=${memoryBytes(limit, `emptyDir ${volume.name} sizeLimit`)}`);
      args.push('--tmpfs', `${mount.mountPath}:${options.join(',')}`);
      if (volume.emptyDir.medium !== 'Memory')
        notes.push(`emptyDir ${volume.name} (${mount.mountPath}) is a tmpfs here: it counts against the memory limit, on a node against ephemeral-storage`);
    } else {
      const kind = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
      notes.push(`volume ${volume.name} (${kind}) at ${mount.mountPath} is not reproduced`);
    }
  }
  return args;
}

function resourceArgs(container: Container, notes: string[]): { args: string[]; limits: RunPlan['limits'] } {
  const args: string[] = [];
  const limits: RunPlan['limits'] = {};
  const { limits: lim = {}, requests = {} } = container.resources ?? {};
  if (lim.memory !== undefined) {
    limits.memoryBytes = memoryBytes(lim.memory, 'resources.limits.memory');
    // No swap on a node: the limit is the whole budget.
    args.push('--memory', String(limits.memoryBytes), '--memory-swap', String(limits.memoryBytes));
  } else notes.push('no memory limit: the container may use all of the machine’s memory');
  if (lim.cpu !== undefined) {
    limits.cpus = cpuCores(lim.cpu, 'resources.limits.cpu');
    args.push('--cpus', String(limits.cpus));
  }
  if (requests.cpu !== undefined) args.push('--cpu-shares', String(cpuShares(cpuCores(requests.cpu, 'resources.requests.cpu'))));
  if (lim['ephemeral-storage'] !== undefined) notes.push(`ephemeral-storage limit ${lim['ephemeral-storage']} is not enforced by Docker here`);
  return { args, limits };
}

/** The manifests → one `docker run` plan. Pure: no Docker, no I/O. */
export function buildRunPlan(inputs: PlanInputs): RunPlan {
  const { deployment } = inputs;
  const name = deployment.metadata.name;
  const pod = deployment.spec?.template?.spec;
  if (!pod?.containers?.length) throw new PlanError(`Deployment/${name} has no pod template containers`);
  const container = pickContainer(pod, inputs.containerName, name);
  const notes: string[] = [];
  if (pod.initContainers?.length) notes.push(`init containers (${pod.initContainers.map((c) => c.name).join(', ')}) are not run`);
  if (pod.containers.length > 1) notes.push(`only container ${container.name} is run (the pod has ${pod.containers.length})`);

  const probes = (
    [
      probePlan('startup', container.startupProbe, container, notes),
      probePlan('liveness', container.livenessProbe, container, notes),
      probePlan('readiness', container.readinessProbe, container, notes),
    ] as const
  ).filter((p): p is ProbePlan => p !== undefined);
  const preStop = preStopPlan(container.lifecycle?.preStop, container, notes);
  const { env, secretEnv, notes: envNotes } = resolveEnv(container, inputs.configMaps, inputs.secrets);
  notes.push(...envNotes);
  const security = effectiveSecurity(pod, container);

  const publishPorts = new Set<number>((container.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort));
  for (const probe of probes) if (probe.action.type !== 'exec') publishPorts.add(probe.action.port);
  if (preStop?.type === 'http') publishPorts.add(preStop.action.port);

  const resources = resourceArgs(container, notes);
  const args = ['--name', inputs.runName, '--label', inputs.label];
  args.push(...securityArgs(security, notes));
  args.push(...volumeArgs(pod, container, notes));
  args.push(...resources.args);
  for (const port of publishPorts) args.push('--publish', `127.0.0.1::${port}`);
  for (const entry of env) {
    if (entry.source.kind === 'secret') args.push('--env', entry.name);
    else args.push('--env', `${entry.name}=${entry.value ?? ''}`);
  }
  if (container.workingDir) args.push('--workdir', container.workingDir);
  // command replaces the image ENTRYPOINT, args the CMD (docker takes one entrypoint word; the rest go first in the args).
  const [entrypoint, ...commandRest] = container.command ?? [];
  if (entrypoint !== undefined) args.push('--entrypoint', entrypoint);
  const image = inputs.image ?? container.image;
  args.push(image, ...commandRest, ...(container.args ?? []));

  const user =
    security.runAsUser !== undefined ? { uid: security.runAsUser, ...(security.runAsGroup !== undefined ? { gid: security.runAsGroup } : {}) } : undefined;
  return {
    deployment: name,
    container: container.name,
    image,
    imagePullPolicy: container.imagePullPolicy ?? (/:latest$|^[^:@]+$/.test(container.image) ? 'Always' : 'IfNotPresent'),
    dockerArgs: args,
    secretEnv,
    env,
    publishPorts: [...publishPorts],
    probes,
    ...(preStop ? { preStop } : {}),
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    ...(user ? { user } : {}),
    runAsNonRoot: security.runAsNonRoot === true,
    limits: resources.limits,
    notes,
  };
}

/**
 * The kubelet's runAsNonRoot check: the effective uid (pod spec, else the
 * image's USER) must be numeric and non-zero. Returns the problem, if any.
 */
export function runAsNonRootProblem(plan: Pick<RunPlan, 'runAsNonRoot' | 'user'>, imageUser: string | undefined): string | undefined {
  if (!plan.runAsNonRoot || plan.user) return plan.runAsNonRoot && plan.user?.uid === 0 ? 'runAsNonRoot is true but runAsUser is 0' : undefined;
  const user = (imageUser ?? '').split(':')[0] ?? '';
  if (user === '' || user === 'root' || user === '0')
    return 'runAsNonRoot is true but the image runs as root (no USER, or USER 0); set runAsUser or a numeric non-root USER';
  if (!/^\d+$/.test(user))
    return `runAsNonRoot is true but the image's USER "${user}" is not numeric, so the kubelet cannot verify it (CreateContainerConfigError); use a numeric USER`;
  return undefined;
}
