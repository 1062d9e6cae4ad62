import { objectRef, type KubeObject } from '@llmops-rag/contract';

/**
 * The shapes the rehearsal reads from the synthesized YAML, on top of
 * contract's KubeObject (field names exactly as in the API). Optional
 * everywhere the API has a default; the plan applies the defaults the kubelet would.
 */

export type IntOrString = number | string;

export interface HttpGetAction {
  path?: string;
  port: IntOrString;
  host?: string;
  scheme?: 'HTTP' | 'HTTPS';
  httpHeaders?: { name: string; value: string }[];
}

export interface Probe {
  httpGet?: HttpGetAction;
  tcpSocket?: { port: IntOrString; host?: string };
  exec?: { command: string[] };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface LifecycleHandler {
  exec?: { command: string[] };
  httpGet?: HttpGetAction;
  sleep?: { seconds: number };
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: 'RuntimeDefault' | 'Unconfined' | 'Localhost'; localhostProfile?: string };
}

export interface PodSecurityContext extends Omit<SecurityContext, 'readOnlyRootFilesystem' | 'allowPrivilegeEscalation' | 'privileged' | 'capabilities'> {
  fsGroup?: number;
  supplementalGroups?: number[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: { limits?: Record<string, IntOrString>; requests?: Record<string, IntOrString> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: LifecycleHandler; postStart?: LifecycleHandler };
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: '' | 'Memory'; sizeLimit?: IntOrString };
  [source: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: PodSecurityContext;
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
}

export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec: { template: { metadata?: Partial<KubeObject['metadata']>; spec: PodSpec } };
}

export interface ConfigMap extends KubeObject {
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  /** base64 values */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

interface Shapes {
  Deployment: Deployment;
  ConfigMap: ConfigMap;
  Secret: Secret;
}

/** Whether `object` is of `kind`, typed with that kind's shape (synth validated the objects against the API schema). */
export function isKind<K extends keyof Shapes>(object: KubeObject, kind: K): object is Shapes[K] {
  return object.kind === kind;
}

/** `object` typed as `kind`'s shape; throws naming the object when it is of another kind. */
export function asKind<K extends keyof Shapes>(object: KubeObject, kind: K): Shapes[K] {
  if (!isKind(object, kind)) throw new Error(`${objectRef(object)} is not a ${kind}`);
  return object;
}
