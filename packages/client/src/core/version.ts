declare const __VERSION__: string;

/** This package's version, inlined at build time (tsup and vitest `define`). */
export const VERSION: string = __VERSION__;
