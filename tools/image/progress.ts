/** Progress lines with the elapsed time, e.g. `[docker-archive +3.1s] saving the image`. */
export interface Progress {
  (message: string): void;
  elapsedMs(): number;
}

export function progress(scope: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Progress {
  const started = performance.now();
  const log = ((message: string) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    write(`[${scope} +${seconds}s] ${message}`);
  }) as Progress;
  log.elapsedMs = () => performance.now() - started;
  return log;
}

/** Bytes as MB with one decimal (decimal megabytes, as `docker images` shows). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
