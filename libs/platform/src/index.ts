// The one way each of these is done, for tools/ and every project that runs programs.
export { processRunner, tail, whichOnPath, type Runner, type RunOptions, type RunResult } from './runner.js';
export { dockerEngine, type EngineStatus } from './docker-engine.js';
export { workspaceRoot } from './workspace-root.js';
