/**
 * `@llmops-rag/workspace-tools`: what other projects' TESTS may use from tools/ (eslint.config.mjs allows
 * type:tools only in test files): the app image, built or reused under the build lock, the docker client, and test
 * helpers (stub binaries on a PATH, a folder another user can run Node from).
 * Production code never imports tools/.
 */
export { ensureAppImage, type BuiltImage } from './image/app-image.js';
export { imageBuildArgs } from './image/build-args.js';
export { appImageTags } from './image/constants.js';
export { docker, dockerEngine, dockerOk, inspectImage, type ImageInfo } from './image/docker-cli.js';
export { stubBin, type StubBin } from './testing/stub-bin.js';
export { folderForUser, NOBODY, type OtherUserFolder, type OtherUserSetup } from './testing/other-user.js';
export { publishBundle } from './image/bundle-publish.js';
