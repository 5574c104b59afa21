// Settings domain: the settings file and the per-context service credentials. The only door in.
export * from './settings-store.js';
export * from './service-auth.js';
