export {
  type DriftFinding,
  type DriftProbeOptions,
  type DriftProbeResult,
  driftExitCode,
  formatDriftReport,
  type ProbeCall,
  type ProbeError,
  runDriftProbe,
  type Violation,
} from "./drift-probe.js";
export * from "./fake/index.js";
export { DEFAULT_SPEC, type PrismServer, type StartPrismOptions, startPrism } from "./prism.js";
