// Secrets domain: redaction of everything that leaves the main process, and the audited reveal. The only door in.
export * from './redactor.js';
export * from './reveal.js';
