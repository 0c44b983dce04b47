export * from "./fake/index.js";
export { DEFAULT_SPEC, type PrismServer, type StartPrismOptions, startPrism } from "./prism.js";
