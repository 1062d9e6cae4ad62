import type { KubeApi, LogFollow } from '../kube.js';
import type { Output } from '../types.js';
import { readyPods, type PodTarget } from './pod-target.js';

/**
 * `kubectl logs -f` of every Ready pod of the target, each line prefixed `[<pod>]`. `sync()` follows pods that became
 * Ready (a roll's new pod, from its first lines) and stops following pods that are no longer Ready; a stream that
 * ends on its own (the pod was deleted) is forgotten, so the pod's replacement is picked up by the next sync.
 */
export class LogStreams {
  private readonly streams = new Map<string, LogFollow>();
  private first = true;

  constructor(
    private readonly api: KubeApi,
    private readonly out: Output,
    /** Lines of history shown for a pod followed when the loop starts, and for a pod that became Ready since. */
    private readonly tail = { atStart: 10, newPod: 200 },
  ) {}

  get following(): string[] {
    return [...this.streams.keys()].sort();
  }

  async sync(target: PodTarget): Promise<void> {
    const ready = new Set((await readyPods(this.api, target)).map((p) => p.metadata.name));
    for (const [pod, stream] of this.streams) {
      if (ready.has(pod)) continue;
      stream.stop();
      this.streams.delete(pod);
    }
    const tailLines = this.first ? this.tail.atStart : this.tail.newPod;
    this.first = false;
    for (const pod of ready) {
      if (this.streams.has(pod)) continue;
      try {
        const stream = await this.api.followLogs(target.namespace, pod, target.container, (line) => this.out.line(`[${pod}] ${line}`), { tailLines });
        this.streams.set(pod, stream);
        void stream.done.then(() => {
          if (this.streams.get(pod) === stream) this.streams.delete(pod);
        });
      } catch (error) {
        this.out.line(`  (no logs from ${pod}: ${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }

  stopAll(): void {
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
  }
}
