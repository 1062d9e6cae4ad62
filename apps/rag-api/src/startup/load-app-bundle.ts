import type * as AppBundle from '../app-bundle.js';
import { loadCodeCached, type CodeCachedModule } from './code-cache.js';

/**
 * app-bundle.js (the build's entry src/app-bundle.ts, next to main.js and
 * prime-code-cache.js in the bundle) with its code cache, for both of them.
 */
export function loadAppBundle(): CodeCachedModule<typeof AppBundle> {
  return loadCodeCached(`${__dirname}/app-bundle.js`);
}
