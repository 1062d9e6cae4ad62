/** Minimal view of a synthesized cdk.tf.json (terraform JSON syntax). */
export type TfBlock = Record<string, unknown>;

export interface TfJson {
  readonly resource?: Record<string, Record<string, TfBlock>>;
  readonly data?: Record<string, Record<string, TfBlock>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly provider?: Record<string, TfBlock[]>;
  readonly terraform?: TfBlock;
}

export interface TfResource {
  /** `aws_vpc.network_vpc_4E8F0223` */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly body: TfBlock;
}

export function resourcesOf(tf: TfJson, type: string): TfResource[] {
  return Object.entries(tf.resource?.[type] ?? {}).map(([name, body]) => ({ address: `${type}.${name}`, type, name, body }));
}

export function dataSourcesOf(tf: TfJson, type: string): TfResource[] {
  return Object.entries(tf.data?.[type] ?? {}).map(([name, body]) => ({ address: `data.${type}.${name}`, type, name, body }));
}

/**
 * Terraform JSON writes a nested block as an object or a one-element list
 * (cdktf emits objects for max-1 blocks, lists otherwise); read both.
 */
export function block(value: unknown): TfBlock | undefined {
  if (Array.isArray(value)) return value.length > 0 ? (value[0] as TfBlock) : undefined;
  return value && typeof value === 'object' ? (value as TfBlock) : undefined;
}

export function blocks(value: unknown): TfBlock[] {
  if (Array.isArray(value)) return value as TfBlock[];
  return value && typeof value === 'object' ? [value as TfBlock] : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

/** The addresses a `${type.name.attr}` interpolation refers to, e.g. `aws_vpc.x`. */
export function referencedAddresses(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return [...text.matchAll(/\$\{(?:[^}]*?\b)?((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1] as string);
}

export function refersTo(value: unknown, resource: TfResource): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.includes(`${resource.address}.`);
}

/** `"true"`/true, for provider fields typed as strings in the schema (e.g. ebs.encrypted). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
