import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const TERRAFORM_INSTALL_URL = 'https://developer.hashicorp.com/terraform/install';

export class TerraformMissingError extends Error {
  constructor(searched: string) {
    super(
      `terraform not found (${searched}). validate runs \`terraform init -backend=false\` and \`terraform validate\` (never plan/apply); ` +
        `install Terraform >= 1.5 from ${TERRAFORM_INSTALL_URL} or set TERRAFORM_BIN to its path.`,
    );
    this.name = 'TerraformMissingError';
  }
}

/** `$TERRAFORM_BIN`, else `terraform` on PATH; undefined when neither is executable. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.TERRAFORM_BIN) return executable(env.TERRAFORM_BIN) ? env.TERRAFORM_BIN : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'terraform');
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

export function requireTerraform(env: NodeJS.ProcessEnv = process.env): string {
  const bin = findTerraform(env);
  if (!bin) throw new TerraformMissingError(env.TERRAFORM_BIN ? `TERRAFORM_BIN=${env.TERRAFORM_BIN} is not executable` : 'not on PATH');
  return bin;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export function runTerraform(bin: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr, ms: performance.now() - started }));
  });
}

export async function terraformVersion(bin: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runTerraform(bin, ['version', '-json'], { cwd: process.cwd(), env });
  try {
    return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return result.stdout.split('\n')[0] ?? 'unknown';
  }
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly where?: string;
}

export interface StackCheck {
  readonly name: string;
  readonly dir: string;
  readonly init: InitResult;
  readonly validate: { ok: boolean; ms: number; diagnostics: Diagnostic[]; output: string } | undefined;
}

export interface StackDir {
  readonly name: string;
  readonly dir: string;
}

export interface ValidateOptions {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  /** Parent of the TF_DATA_DIRs (one per distinct provider requirement set). */
  readonly dataRoot: string;
  readonly onProgress?: (line: string) => void;
}

function providerKey(dir: string): string {
  const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as { terraform?: { required_providers?: unknown; required_version?: unknown } };
  const key = JSON.stringify([json.terraform?.required_providers ?? {}, json.terraform?.required_version ?? null]);
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function parseValidateJson(stdout: string): { valid: boolean; diagnostics: Diagnostic[] } | undefined {
  try {
    const json = JSON.parse(stdout) as {
      valid: boolean;
      diagnostics: { severity: 'error' | 'warning'; summary: string; detail?: string; range?: { filename: string; start: { line: number } } }[];
    };
    return {
      valid: json.valid,
      diagnostics: json.diagnostics.map((d) => ({
        severity: d.severity,
        summary: d.summary,
        ...(d.detail ? { detail: d.detail } : {}),
        ...(d.range ? { where: `${d.range.filename}:${d.range.start.line}` } : {}),
      })),
    };
  } catch {
    return undefined;
  }
}

export interface InitResult {
  readonly ok: boolean;
  readonly ms: number;
  /** True when one init served several stacks. */
  readonly shared: boolean;
  readonly output: string;
}

/** Stacks with the same provider requirements, initialized once in one TF_DATA_DIR. */
export interface InitializedGroup {
  readonly stacks: readonly StackDir[];
  /** The environment to run terraform with in these stacks (TF_DATA_DIR set). */
  readonly env: NodeJS.ProcessEnv;
  readonly init: InitResult;
}

/**
 * `terraform init -backend=false` once per set of stacks with the same
 * provider requirements: they share one TF_DATA_DIR under `dataRoot` and the
 * lock file is copied to the other stacks. Groups are initialized in parallel.
 */
export async function initStacks(stacks: readonly StackDir[], options: ValidateOptions): Promise<InitializedGroup[]> {
  const progress = options.onProgress ?? (() => {});
  const groups = new Map<string, StackDir[]>();
  for (const stack of stacks) {
    const key = providerKey(stack.dir);
    groups.set(key, [...(groups.get(key) ?? []), stack]);
  }
  return Promise.all(
    [...groups].map(async ([key, group]) => {
      const dataDir = join(options.dataRoot, key);
      mkdirSync(dataDir, { recursive: true });
      const env = { ...options.env, TF_DATA_DIR: dataDir };
      const [first, ...rest] = group as [StackDir, ...StackDir[]];
      const run = await runTerraform(options.bin, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: first.dir, env });
      const names = group.map((s) => s.name).join(', ');
      progress(`init      ${names.padEnd(10)} ${run.code === 0 ? 'ok  ' : 'FAIL'} ${seconds(run.ms)}${rest.length > 0 ? ' (one init shared)' : ''}`);
      const init = { ok: run.code === 0, ms: run.ms, shared: rest.length > 0, output: run.stdout + run.stderr };
      if (init.ok) for (const stack of rest) copyFileSync(join(first.dir, '.terraform.lock.hcl'), join(stack.dir, '.terraform.lock.hcl'));
      return { stacks: group, env, init };
    }),
  );
}

/**
 * `initStacks`, then `terraform validate` on every stack in parallel. Never
 * plan or apply.
 */
export async function initAndValidate(stacks: readonly StackDir[], options: ValidateOptions): Promise<StackCheck[]> {
  const progress = options.onProgress ?? (() => {});
  const groups = await initStacks(stacks, options);
  const checks = await Promise.all(
    groups.map(async ({ stacks: group, env, init }) => {
      if (!init.ok) return group.map((s): StackCheck => ({ ...s, init, validate: undefined }));
      return Promise.all(
        group.map(async (stack): Promise<StackCheck> => {
          const run = await runTerraform(options.bin, ['validate', '-json', '-no-color'], { cwd: stack.dir, env });
          const parsed = parseValidateJson(run.stdout);
          const ok = run.code === 0 && parsed?.valid === true;
          const diagnostics = parsed?.diagnostics ?? [{ severity: 'error' as const, summary: (run.stderr || run.stdout).trim() || `exit ${run.code}` }];
          const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
          progress(`validate  ${stack.name.padEnd(10)} ${ok ? 'ok  ' : 'FAIL'} ${seconds(run.ms)}${warnings ? ` (${warnings} warnings)` : ''}`);
          return { ...stack, init, validate: { ok, ms: run.ms, diagnostics, output: run.stdout + run.stderr } };
        }),
      );
    }),
  );
  const byName = new Map(checks.flat().map((c) => [c.name, c]));
  return stacks.map((s) => byName.get(s.name) as StackCheck);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
