/**
 * The subset of Kubernetes objects the rehearsal reads from the synthesized
 * YAML (field names exactly as in the API). Optional everywhere the API has a
 * default; the plan applies the defaults the kubelet would.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeDoc {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

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

export interface Deployment extends KubeDoc {
  kind: 'Deployment';
  spec: { template: { metadata?: Partial<ObjectMeta>; spec: PodSpec } };
}

export interface ConfigMap extends KubeDoc {
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

export interface Secret extends KubeDoc {
  kind: 'Secret';
  /** base64 values */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
