// Files domain: the private data directory and 0600/0700 files every domain writes through. The only door in.
export * from './data-dir.js';
export * from './private-files.js';
