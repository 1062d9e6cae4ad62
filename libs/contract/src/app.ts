/** The service's name: the Kubernetes app label, Deployment and ServiceAccount name, and the `service` of every log line. */
export const APP_NAME = 'rag-api';

/**
 * The API's version: what `GET /` reports, the image's version tag and label, and the prod profile's image tag.
 * Bump it here and nowhere else.
 */
export const APP_VERSION = '0.1.0';

/** The port the app listens on in the container (the image's EXPOSE, the Deployment's containerPort, PORT's default). */
export const CONTAINER_PORT = 8000;

/** The line the app logs once it serves requests; the deploy and the rehearsal wait for it. */
export const STARTUP_LINE = 'Application startup complete';
