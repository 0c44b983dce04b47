declare const __VERSION__: string;

/** This package's version, inlined at build time (tsup and vitest `define`); "dev" from source. */
export const VERSION: string = typeof __VERSION__ === "string" ? __VERSION__ : "dev";
