// Framework-free facts shared by the app, its image, the manifests, the deploy and the infrastructure.
// Imports nothing: everything else imports these.
export { APP_NAME, APP_VERSION, CONTAINER_PORT, STARTUP_LINE } from './app.js';
export { APP_GID, APP_UID, IMAGE_ARCHIVE, IMAGE_ID_TAG_PREFIX, IMAGE_REPOSITORY, imageIdTag, imageRef, LATEST_TAG } from './image.js';
export { HEALTH_PATH, HEALTH_PATHS, HEALTH_STATUS } from './health.js';
export { APP_ENVS, isAppEnv, type AppEnv } from './envs.js';
export { clusterName, PROJECT_NAME, ragApiRoleArn, ragApiRoleName, ragApiServiceAccount, type ServiceAccountRef } from './irsa.js';
export { APPLY_ORDER, KINDS, PRUNABLE_KINDS, type KindName, type KubeKind } from './kube/kinds.js';
export { findObject, isKubeObject, objectRef, type KubeObject } from './kube/object.js';
export { parseQuantity } from './kube/quantity.js';
export { SHOWN_CHARACTERS, showValue } from './show-value.js';
export { isPinnedReference, NAME_MAX_LENGTH, parseImageReference, type ImageReference, type ParsedImageReference } from './image-reference.js';
