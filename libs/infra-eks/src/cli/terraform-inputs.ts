import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIRROR_ENV, MIRRORED_PROVIDERS } from '../terraform/cli-config.js';
import { shown, type InputProblem } from './input-problems.js';

/** The provider mirror and TERRAFORM_BIN: the variables every terraform-running command (tf-validate, tf-test, validate) reads. */
export function terraformInputProblems(env: NodeJS.ProcessEnv = process.env): InputProblem[] {
  return [...mirrorProblems(env[MIRROR_ENV]), ...terraformBinProblems(env.TERRAFORM_BIN)];
}

function mirrorProblems(raw: string | undefined): InputProblem[] {
  if (raw === undefined || raw.trim() === '') return [];
  const dir = resolve(raw.trim());
  const fix = `point ${MIRROR_ENV} at a terraform provider mirror in the unpacked layout (e.g. /opt/tf-plugins holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/), or unset it to let terraform download the provider`;
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch {
    return [{ key: MIRROR_ENV, problem: `${shown(raw)} does not exist`, fix }];
  }
  if (!stat.isDirectory()) return [{ key: MIRROR_ENV, problem: `${shown(raw)} is not a directory`, fix }];
  const missing = MIRRORED_PROVIDERS.filter((p) => {
    try {
      return !statSync(join(dir, p)).isDirectory();
    } catch {
      return true;
    }
  });
  return missing.map((p) => ({ key: MIRROR_ENV, problem: `${shown(raw)} holds no ${p} (no provider to install offline)`, fix }));
}

function terraformBinProblems(raw: string | undefined): InputProblem[] {
  if (raw === undefined || raw === '') return [];
  const fix = 'set TERRAFORM_BIN to the path of an executable terraform (>= 1.7), or unset it to use terraform from PATH';
  try {
    if (!statSync(raw).isFile()) return [{ key: 'TERRAFORM_BIN', problem: `${shown(raw)} is not a file`, fix }];
    accessSync(raw, constants.X_OK);
    return [];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return [{ key: 'TERRAFORM_BIN', problem: `${shown(raw)} ${code === 'ENOENT' ? 'does not exist' : 'is not executable'}`, fix }];
  }
}
