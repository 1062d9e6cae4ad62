import type { ContainerRuntime, ImageFacts } from '../docker-runtime.js';
import type { Step } from '../result.js';
import { runAsNonRootProblem, type RunPlan } from '../run-plan.js';
import { RehearsalStop } from './stop.js';

/**
 * Phase 2: the engine and the image, as the kubelet's image pull and admission would see them. A missing engine
 * stops with phase `engine`; an image that is not there (ErrImagePull / ErrImageNeverPull) or that would run as
 * root against runAsNonRoot stops with phase `image`.
 */
export async function admitImage(runtime: ContainerRuntime, plan: RunPlan): Promise<{ image: ImageFacts; step: Step }> {
  const engine = await runtime.engine();
  if (!engine.ok) throw new RehearsalStop({ phase: 'engine', reason: engine.reason });
  const image = await runtime.image(plan.image);
  if (!image) {
    const kubeletError = plan.imagePullPolicy === 'Never' ? 'ErrImageNeverPull' : 'ErrImagePull';
    throw new RehearsalStop({
      phase: 'image',
      reason: `${kubeletError}: image ${plan.image} is not in the Docker engine`,
      fix: 'build it: npx nx run rag-api:docker',
    });
  }
  const nonRoot = runAsNonRootProblem(plan, image.user);
  if (nonRoot) throw new RehearsalStop({ phase: 'image', reason: `CreateContainerConfigError: ${nonRoot}` });
  return {
    image,
    step: { status: 'ok', title: `Image ${plan.image} = ${image.id.slice(7, 19)} (USER ${image.user ?? 'root'}) on Docker ${engine.version}`, details: [] },
  };
}
