/**
 * Says on stderr why the API will not start and sets exit code 1. It does not
 * call process.exit(): the process ends on its own once stderr is drained,
 * so a pipe or the container log gets the whole message.
 */
export function refuseToStart(message: string): void {
  process.exitCode = 1;
  process.stderr.write(`rag-api: refusing to start.\n${message}\n`);
}
