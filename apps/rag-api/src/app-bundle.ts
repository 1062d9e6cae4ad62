/**
 * The app's bundle (app-bundle.js, next to main.js): everything but main.js's
 * few lines. main.js and prime-code-cache.js load it with its V8 code cache
 * (startup/code-cache.ts).
 */
export { start } from './startup/start.js';
