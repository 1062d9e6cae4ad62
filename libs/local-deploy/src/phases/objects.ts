import { secretKeys as configSecretKeys } from '@llmops-rag/config';
import { describeSecretKeys, NAMES, SECRET_SOURCE_ANNOTATION, secretFromEnv } from '@llmops-rag/k8s-manifests';
import type { Checklist } from '../checklist.js';
import { IMAGE_ID_ANNOTATION, SECRET_CHECKSUM_ANNOTATION, type artifactPaths, type DeployDeps, type DeployOptions } from '../deploy-options.js';
import { deployImage, type ArchiveImage } from '../deploy-image.js';
import { readSynthOutput } from '../manifests.js';
import { findObject, IMAGE_ID_TAG_PREFIX, IMAGE_REPOSITORY, type KubeObject } from '@llmops-rag/contract';

/**
 * The synthesized objects with the Secret's real values (in memory), the app
 * container's image pinned to the archive's immutable `id-…` tag when the
 * archive carries it (so the release, a rollback and an atomic restore hold
 * the exact build; an older archive keeps `latest`, and the output says so),
 * and two pod-template annotations: the image id (a rebuilt `latest` rolls
 * the pods) and the secret checksum (a changed value rolls them too). Phase 4.
 */
export async function prepareObjects(
  options: DeployOptions,
  deps: DeployDeps,
  checklist: Checklist,
  paths: ReturnType<typeof artifactPaths>,
  archive: ArchiveImage | undefined,
  dotEnv: Readonly<Record<string, string>>,
): Promise<KubeObject[]> {
  deps.out.line(`\n▶ Manifests from ${paths.manifestsDir}, Secret ${NAMES.secret} from the environment/.env (keys only)`);
  return checklist.step('Secret from environment/.env (in memory)', async () => {
    const objects = readSynthOutput(paths.manifestsDir);
    const template = findObject(objects, 'Secret', NAMES.secret);
    const appEnv = String((findObject(objects, 'ConfigMap', NAMES.configMap).data as Record<string, string> | undefined)?.APP_ENV ?? 'dev');
    const built = secretFromEnv({ template, keys: configSecretKeys(), env: deps.env, dotEnv, appEnv });
    built.secret.metadata.annotations = {
      ...built.secret.metadata.annotations,
      [SECRET_SOURCE_ANNOTATION]: 'injected at deploy time from the environment or .env; never written to disk',
    };
    for (const line of describeSecretKeys(built.keys)) deps.out.line(`  ${line}`);
    const withSecret = objects.map((o) => (o === template ? built.secret : o));
    const image = deployImage(archive);
    if (archive && !image.pinned) {
      deps.out.line(
        `  the image archive has no ${IMAGE_REPOSITORY}:${IMAGE_ID_TAG_PREFIX}… tag (built before it existed): the Deployment keeps ${image.ref}, ` +
          `so a rollback cannot bring this image back; rebuild: npx nx run rag-api:docker-archive --skip-nx-cache`,
      );
    }
    const annotated = withSecret.map((o) =>
      o.kind === 'Deployment' && o.metadata.name === NAMES.deployment
        ? annotatePodTemplate(withContainerImage(o, NAMES.container, image.ref), {
            ...(archive ? { [IMAGE_ID_ANNOTATION]: `sha256:${archive.id}` } : {}),
            [SECRET_CHECKSUM_ANNOTATION]: built.checksum,
          })
        : o,
    );
    const placeholders = built.keys.filter((k) => k.source === 'placeholder').map((k) => k.key);
    return {
      detail: `${built.keys.length} key${built.keys.length === 1 ? '' : 's'}${placeholders.length ? `, placeholder for ${placeholders.join(', ')}` : ''}`,
      value: annotated,
    };
  });
}

export function annotatePodTemplate(deployment: KubeObject, annotations: Record<string, string>): KubeObject {
  const spec = structuredClone(deployment.spec) as { template?: { metadata?: { annotations?: Record<string, string> } } };
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.annotations = { ...spec.template.metadata.annotations, ...annotations };
  return { ...deployment, spec };
}

/** The Deployment with container `name`'s image set to `image`; a template without that container is an error naming it. */
export function withContainerImage(deployment: KubeObject, name: string, image: string): KubeObject {
  const spec = structuredClone(deployment.spec) as { template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  const container = spec.template?.spec?.containers?.find((c) => c.name === name);
  if (!container) {
    throw new Error(
      `Deployment ${deployment.metadata.name} has no container named ${name} to run ${image}\nfix: regenerate the manifests: npx nx run k8s-manifests:synth`,
    );
  }
  container.image = image;
  return { ...deployment, spec };
}
