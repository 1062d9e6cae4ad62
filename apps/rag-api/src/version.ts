/** The API version the root endpoint reports (spec: "0.1.0"). */
export const APP_VERSION = '0.1.0';
export const SERVICE_NAME = 'rag-api';
