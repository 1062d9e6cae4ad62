/**
 * What `npm run bench:dev-loop` (tools/bench/dev-loop.ts) loads from its copy of the workspace at run time, so it
 * measures the loop's own code, not a re-implementation: the in-process bundle, the live sync and its supervisor, the
 * overlay, the choice of path and the build steps' programs.
 */
export { bundleApp, disposeBundlers } from './bundle-app.js';
export { devLoopOverlay, DEV_READINESS } from './dev-overlay.js';
export { bundleForLive, LIVE_BUNDLE_DIR } from './live-update.js';
export { syncBundle } from './live/sync-client.js';
export { LIVE_PATHS, supervisorScript } from './live/supervisor-script.js';
export { IMAGE_ARCHIVE_SCRIPT } from './loop-build.js';
export { choosePath } from './loop-path.js';
export { deriveWatchSet, SYNTH, type BundleEntry } from './watch-set.js';
export { readSynthOutput } from '../manifests.js';
