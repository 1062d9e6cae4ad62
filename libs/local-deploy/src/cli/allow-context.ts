/** What to do about an empty --allow-context (deploy and teardown). */
export const ALLOW_CONTEXT_FIX = 'it needs the exact name of the context to allow: --allow-context="$(kubectl config current-context)", or leave the flag out';
