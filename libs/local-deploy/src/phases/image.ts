import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { shellQuote, tail } from '@llmops-rag/platform';
import type { Checklist } from '../checklist.js';
import { loadImage, type LocalCluster } from '../cluster-kinds.js';
import { IMAGE_ARCHIVE, IMAGE_REPOSITORY } from '@llmops-rag/contract';
import { deployImage, type ArchiveImage, type DeployImage } from '../deploy-image.js';
import { IMAGE, IMAGE_ID_ANNOTATION, type DeployDeps, type DeployOptions } from '../deploy-options.js';
import { imageIdsInArchive, shortId } from '../image-archive.js';
import { clusterLoadCommand, nodeLoadInstructions } from '../image-load-hint.js';
import type { KubeApi } from '../kube.js';

export interface ImageOutcome {
  /** The archive's config digest (the image ID) and its tags, when the archive is there to read. */
  archive?: ArchiveImage;
  /** The command that loads the archive into this cluster, for the ErrImageNeverPull fix. */
  loadHint: string;
}

/**
 * The image in the cluster. A recognised cluster is loaded by its own loader
 * (skipped when it already holds the tag the Deployment will name at the same
 * ID: the build's immutable `id-…` tag, or `latest` for an archive without it);
 * `--load-command` replaces that loader; for an unrecognised cluster without
 * one, the exact command for its nodes' container runtime is printed. Every
 * loader loads all the archive's tags. The image ID is read from the archive
 * in every case, so the Deployment is annotated and pinned on every cluster kind. Phase 3.
 */
export async function imageIntoCluster(
  options: DeployOptions,
  deps: DeployDeps,
  checklist: Checklist,
  cluster: LocalCluster | undefined,
  api: KubeApi,
  archivePath: string,
): Promise<ImageOutcome> {
  const tar = relative(options.workspaceRoot, archivePath);
  const missing = `no image archive at ${archivePath}\nfix: run \`npx nx run rag-api:docker\` (or deploy without --skip-build)`;
  if (options.loadCommand) {
    const command = options.loadCommand;
    deps.out.line(`\n▶ Image ${IMAGE_REPOSITORY} → --load-command`);
    return checklist.step('Image in cluster', async () => {
      if (!existsSync(archivePath)) throw new Error(missing);
      const { archive, image } = readArchive(archivePath);
      deps.out.line(`  ${image.ref} (${shortId(archive.id)})`);
      await runLoadCommand(command, options, deps, archivePath, image.ref);
      return {
        detail: `${shortId(archive.id)} loaded by --load-command`,
        value: { archive, loadHint: `IMAGE_ARCHIVE=${shellQuote(tar)} sh -c ${shellQuote(command)}` },
      };
    });
  }
  if (cluster) {
    deps.out.line(`\n▶ Image ${IMAGE_REPOSITORY} → ${cluster.kind}`);
    return checklist.step('Image in cluster', async () => {
      if (!existsSync(archivePath)) throw new Error(missing);
      const { archive, ids, image } = readArchive(archivePath);
      const outcome = await loadImage(deps.runner, cluster, { path: archivePath, ids }, image.ref, deps.out);
      deps.out.line(`  ${outcome.reason}`);
      return {
        detail: `${shortId(archive.id)} ${outcome.loaded ? 'loaded' : 'already present'}`,
        value: { archive, loadHint: `\`${clusterLoadCommand(cluster, tar)}\` (from the repo root)` },
      };
    });
  }
  deps.out.line(`\n▶ Image ${IMAGE_REPOSITORY} → unrecognised cluster`);
  const nodes = await api.list('v1', 'Node', undefined).catch(() => []);
  const instructions = nodeLoadInstructions(nodes, tar);
  const commands = instructions.map((i) => `\`${i.command}\``).join(' or ');
  const loadHint = `${commands} on each node (from the repo root, or with the archive copied there)`;
  if (!existsSync(archivePath)) {
    deps.out.line(
      `  no image archive at ${archivePath}: the Deployment keeps ${IMAGE} and gets no ${IMAGE_ID_ANNOTATION} annotation, so a rebuilt image would not roll the pods`,
    );
    checklist.skip('Image in cluster', `not loaded, no archive at ${tar}`);
    return { loadHint };
  }
  const { archive, image } = readArchive(archivePath);
  deps.out.line(`  the deploy cannot load images into this cluster; ${image.ref} (${shortId(archive.id)}) must be on its nodes. Run:`);
  for (const i of instructions) deps.out.line(`    ${i.command}${i.nodes.length ? `    # on ${i.nodes.join(', ')}` : ''}`);
  deps.out.line(`  from the repo root on each node (copy ${tar} there first if the node is another machine),`);
  deps.out.line(`  or pass --load-command='<command>' and the deploy runs it (IMAGE_ARCHIVE holds the archive's path).`);
  checklist.skip('Image in cluster', `${shortId(archive.id)} not loaded by the deploy: run ${commands} on each node, or pass --load-command`);
  return { archive, loadHint };
}

/** The archive's image ID (config digest) and tags, every ID it goes by (for the cluster's listing), and the image the Deployment will name. */
function readArchive(archivePath: string): { archive: ArchiveImage; ids: string[]; image: DeployImage } {
  const { ids, repoTags } = imageIdsInArchive(archivePath);
  const archive = { id: ids[0] as string, repoTags };
  return { archive, ids, image: deployImage(archive) };
}

/** Runs the user's --load-command through the shell, from the repo root, streaming its output. */
async function runLoadCommand(command: string, options: DeployOptions, deps: DeployDeps, archivePath: string, image: string): Promise<void> {
  deps.out.line(`  running --load-command: ${command}`);
  const started = Date.now();
  const heartbeat = setInterval(() => deps.out.line(`    … still loading (${Math.round((Date.now() - started) / 1000)}s)`), 15_000);
  const result = await deps.runner
    .run('sh', ['-c', command], {
      cwd: options.workspaceRoot,
      env: { ...deps.env, IMAGE_ARCHIVE: archivePath, IMAGE: image },
      timeoutMs: 10 * 60_000,
      onLine: (line) => deps.out.line(`    ${line.trim()}`),
    })
    .finally(() => clearInterval(heartbeat));
  if (result.code !== 0) {
    throw new Error(
      `--load-command exited ${result.code}${result.timedOut ? ' (timed out after 10 minutes)' : ''}: ${command}\n${tail(result)}\n` +
        `fix: run the command by hand from the repo root (IMAGE_ARCHIVE=${IMAGE_ARCHIVE}) until it loads the image, then deploy again`,
    );
  }
}
