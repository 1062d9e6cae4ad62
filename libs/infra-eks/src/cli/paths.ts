import { resolve } from 'node:path';
import { workspaceRoot } from '@llmops-rag/platform';

export const WORKSPACE_ROOT = workspaceRoot();
export const DEFAULT_OUT_DIR = resolve(WORKSPACE_ROOT, 'dist/infra-eks');
/** TF_DATA_DIRs and the provider download cache: under tmp/ (git-ignored), outside the Nx outputs (never cached, never copied). */
export const TERRAFORM_WORK_DIR = resolve(WORKSPACE_ROOT, 'tmp/infra-eks');
/** tf-validate's output: the copies it validated and report.json, which validate reads. */
export const DEFAULT_TF_VALIDATE_OUT_DIR = resolve(WORKSPACE_ROOT, 'dist/infra-eks-tf-validate');
