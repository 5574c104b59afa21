// Imports allowed to cross a boundary, file by file (importing file -> imported files). Empty: every
// domain is entered through its index.ts and no view imports another (issue #12). A line added here
// is a TODO with its reason, to be removed by importing through index.ts or renderer/components.
export const BOUNDARY_EXCEPTIONS = {};
