import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { lineAt, timedSpawn, type TimedLine } from './timed-process.ts';

/** The app file each round changes, and the change: a response header on `GET /` carrying the round's marker. */
export const CHANGED_FILE = 'apps/rag-api/src/routes/root.ts';
const ANCHOR = 'async () => welcome,';
export const MARKER_HEADER = 'x-dev-loop-bench';

/** One round's stage boundaries (performance.now()), from the save to the new code answering and the pod Ready. */
export interface RoundTimes {
  saved: number;
  bundleStart: number;
  imageStart: number;
  loadStart: number;
  imageDone: number;
  containerStarted: number;
  answered: number;
  podReady: number;
  /** From the tools' own progress lines: docker build vs docker save inside the image stage, and docker run. */
  dockerBuildMs?: number;
  dockerSaveMs?: number;
  dockerRunMs?: number;
  imageId: string;
}

/** `save` is a real edit of the app file: the handler of `GET /` sets a header with this round's marker. */
export function saveChange(dir: string, original: string, marker: string): void {
  if (!original.includes(ANCHOR)) {
    throw new Error(`${CHANGED_FILE} no longer contains \`${ANCHOR}\`: point the bench's change (tools/bench/lib/dev-loop-round.ts) at the route as it is now`);
  }
  const changed = original.replace(ANCHOR, `async (_request, reply) => {\n      reply.header('${MARKER_HEADER}', '${marker}');\n      return welcome;\n    },`);
  writeFileSync(join(dir, CHANGED_FILE), changed);
}

function must(at: number | undefined, what: string, lines: readonly TimedLine[]): number {
  if (at === undefined)
    throw new Error(
      `no ${what} line in the output:\n${lines
        .map((l) => l.text)
        .join('\n')
        .slice(-3000)}`,
    );
  return at;
}

/** GET / on the container's published port: the marker header when it answered. */
function marker(port: number): Promise<string | undefined> {
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

/**
 * One loop on the path that runs without a cluster: save → `nx run rag-api:docker` (bundle, image, load: what the dev
 * loop's deploy runs) → the pod rehearsal of that image ID (the manifest's env, limits, securityContext and probes in
 * Docker) → the first `GET /` that carries this round's marker (the new code answering) and the pod Ready on the
 * kubelet's probe schedule. The rehearsal then terminates the container as it always does.
 */
export async function devLoopRound(dir: string, env: NodeJS.ProcessEnv, round: string): Promise<RoundTimes> {
  const original = readFileSync(join(dir, CHANGED_FILE), 'utf8');
  const bin = join(dir, 'node_modules', '.bin');
  try {
    const saved = performance.now();
    saveChange(dir, original, round);
    const build = timedSpawn(join(bin, 'nx'), ['run', 'rag-api:docker', '--outputStyle=stream'], { cwd: dir, env });
    const code = await build.exited;
    const imageDone = performance.now();
    if (code !== 0)
      throw new Error(
        `nx run rag-api:docker exited ${code}:\n${build.lines
          .map((l) => l.text)
          .join('\n')
          .slice(-3000)}`,
      );
    const { id } = JSON.parse(readFileSync(join(dir, 'dist/images/llmops-rag-api.json'), 'utf8')) as { id: string };
    const progress = (pattern: RegExp) => Number(build.lines.map((l) => pattern.exec(l.text)?.[1]).find((s) => s !== undefined) ?? Number.NaN) * 1000;
    const builtAt = progress(/\[docker-archive \+([\d.]+)s\] built /);
    const savedAt = progress(/\[docker-archive \+([\d.]+)s\] archive written/);

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
      ['--tsconfig', 'libs/pod-rehearsal/tsconfig.json', 'libs/pod-rehearsal/src/cmd/rehearse.ts', '--image', id, '--timeout', '60'],
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
    const stopPolling = port;
    port = undefined;
    await polling;
    if (rehearsed !== 0)
      throw new Error(
        `the pod rehearsal of ${id} failed:\n${rehearsal.lines
          .map((l) => l.text)
          .join('\n')
          .slice(-3000)}`,
      );
    if (answered === undefined) throw new Error(`the container on 127.0.0.1:${stopPolling} never answered GET / with ${MARKER_HEADER}: ${round}`);
    const dockerRun = /Started container \w+ in ([\d.]+)s/.exec(rehearsal.lines.find((l) => l.text.includes('Started container'))?.text ?? '');
    return {
      saved,
      bundleStart: must(lineAt(build.lines, /> nx run rag-api:build/), '> nx run rag-api:build', build.lines),
      imageStart: must(lineAt(build.lines, /> nx run rag-api:docker-archive/), '> nx run rag-api:docker-archive', build.lines),
      loadStart: must(lineAt(build.lines, /> nx run rag-api:docker$/), '> nx run rag-api:docker', build.lines),
      imageDone,
      containerStarted: must(lineAt(rehearsal.lines, /Started container/), 'Started container', rehearsal.lines),
      answered,
      podReady: must(lineAt(rehearsal.lines, /Pod Ready at/), 'Pod Ready', rehearsal.lines),
      ...(Number.isFinite(builtAt) ? { dockerBuildMs: builtAt } : {}),
      ...(Number.isFinite(savedAt - builtAt) ? { dockerSaveMs: savedAt - builtAt } : {}),
      ...(dockerRun ? { dockerRunMs: Number(dockerRun[1]) * 1000 } : {}),
      imageId: id,
    };
  } finally {
    writeFileSync(join(dir, CHANGED_FILE), original);
  }
}
