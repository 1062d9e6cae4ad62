import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { BundleEntry, LoopApi } from './dev-loop-api.ts';
import { lineAt, timedSpawn, type TimedLine } from './timed-process.ts';

/** The app file each round changes, and the change: a response header on `GET /` carrying the round's marker. */
export const CHANGED_FILE = 'apps/rag-api/src/routes/root.ts';
const ANCHOR = 'async () => welcome,';
export const MARKER_HEADER = 'x-dev-loop-bench';

/** `save` is a real edit of the app file: the handler of `GET /` sets a header with this round's marker. */
export function saveChange(dir: string, original: string, marker: string): void {
  if (!original.includes(ANCHOR)) {
    throw new Error(`${CHANGED_FILE} no longer contains \`${ANCHOR}\`: point the bench's change (tools/bench/lib/dev-loop-round.ts) at the route as it is now`);
  }
  const changed = original.replace(ANCHOR, `async (_request, reply) => {\n      reply.header('${MARKER_HEADER}', '${marker}');\n      return welcome;\n    },`);
  writeFileSync(join(dir, CHANGED_FILE), changed);
}

/** GET / on 127.0.0.1:`port`: the marker header when it answered. */
export function marker(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers[MARKER_HEADER] as string | undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

export function failure(what: string, lines: readonly TimedLine[]): Error {
  return new Error(
    `${what}:\n${lines
      .map((l) => l.text)
      .join('\n')
      .slice(-3000)}`,
  );
}

function must(at: number | undefined, what: string, lines: readonly TimedLine[]): number {
  if (at === undefined) throw failure(`no ${what} line in the output`, lines);
  return at;
}

/** One full-path round's stage boundaries (performance.now()). */
export interface FullRound {
  saved: number;
  bundled: number;
  /** docker build done (the image ID known), then docker save done (the archive a load sends). */
  built: number;
  archived: number;
  /** The rehearsal's docker run (what the kubelet's container start stands for), and from there. */
  dockerRunMs: number;
  containerStarted: number;
  answered: number;
  podReady: number;
  imageId: string;
  archiveBytes: number;
}

/**
 * The full path as the loop runs it (loop-build.ts), in the bench's copy: save → the bundle with esbuild in this
 * process (the loop's bundleApp, rag-api:build's options) → the docker-archive program (docker build over the cached
 * base layer, docker save) → the container as the kubelet would run it: the pod rehearsal of that image ID with the
 * Deployment as dev deploys it (`overlayDir`: the dev-loop overlay's readiness, so the probe schedule is the deployed
 * one) → the first `GET /` with this round's marker, and the pod Ready on that schedule. Synth is not run: the change is
 * an app source (the loop runs it only when a manifest source changed; measured once on its own).
 */
export async function fullRound(dir: string, env: NodeJS.ProcessEnv, api: LoopApi, entry: BundleEntry, overlayDir: string, round: string): Promise<FullRound> {
  const original = readFileSync(join(dir, CHANGED_FILE), 'utf8');
  const bin = join(dir, 'node_modules', '.bin');
  try {
    const saved = performance.now();
    saveChange(dir, original, round);
    await api.bundleApp(dir, entry);
    const bundled = performance.now();
    const image = timedSpawn(join(bin, 'tsx'), [api.IMAGE_ARCHIVE_SCRIPT], { cwd: dir, env });
    if ((await image.exited) !== 0) throw failure(`${api.IMAGE_ARCHIVE_SCRIPT} failed`, image.lines);
    const manifest = JSON.parse(readFileSync(join(dir, 'dist/images/llmops-rag-api.json'), 'utf8')) as { id: string; archive: string };
    const built = must(lineAt(image.lines, /\] built [0-9a-f]{12}/), 'built', image.lines);
    const archived = must(lineAt(image.lines, /archive written/), 'archive written', image.lines);

    let port: number | undefined;
    let answered: number | undefined;
    let polling: Promise<void> | undefined;
    const poll = async () => {
      while (answered === undefined && port !== undefined) {
        if ((await marker(port)) === round) answered = performance.now();
        else await new Promise((r) => setTimeout(r, 25));
      }
    };
    const rehearsal = timedSpawn(
      join(bin, 'tsx'),
      [
        '--tsconfig',
        'libs/pod-rehearsal/tsconfig.json',
        'libs/pod-rehearsal/src/cmd/rehearse.ts',
        '--dir',
        overlayDir,
        '--image',
        manifest.id,
        '--timeout',
        '60',
      ],
      {
        cwd: dir,
        env,
        onLine: (line) => {
          const published = /Started container \w+ in ([\d.]+)s \(docker run\); ports \d+→127\.0\.0\.1:(\d+)/.exec(line.text);
          if (published && port === undefined) {
            port = Number(published[2]);
            polling = poll();
          }
        },
      },
    );
    const rehearsed = await rehearsal.exited;
    port = undefined;
    await polling;
    if (rehearsed !== 0) throw failure(`the pod rehearsal of ${manifest.id} failed`, rehearsal.lines);
    if (answered === undefined) throw failure(`the container never answered GET / with ${MARKER_HEADER}: ${round}`, rehearsal.lines);
    const containerStarted = must(lineAt(rehearsal.lines, /Started container/), 'Started container', rehearsal.lines);
    const dockerRun = /Started container \w+ in ([\d.]+)s/.exec(rehearsal.lines.find((l) => l.text.includes('Started container'))?.text ?? '');
    return {
      saved,
      bundled,
      built,
      archived,
      dockerRunMs: Number(dockerRun?.[1] ?? Number.NaN) * 1000,
      containerStarted,
      answered,
      // The rehearsal prints this line later (after liveness passed once): the time is in it, from the container's start.
      podReady:
        containerStarted +
        Number(/Pod Ready at \+([\d.]+)s/.exec(rehearsal.lines.find((l) => l.text.includes('Pod Ready at'))?.text ?? '')?.[1] ?? Number.NaN) * 1000,
      imageId: manifest.id,
      archiveBytes: statSync(join(dir, manifest.archive)).size,
    };
  } finally {
    writeFileSync(join(dir, CHANGED_FILE), original);
  }
}
