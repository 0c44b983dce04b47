// `pnpm --filter @keysmith/mock probe`: checks the real key service against the spec.
import { redactSecrets } from "@keysmith/client";
import { driftExitCode, formatDriftReport, runDriftProbe } from "./drift-probe.js";

const upstream = process.env.ZUPLO_API_URL || "https://dev.zuplo.com";
const apiKey = process.env.ZUPLO_API_KEY ?? "";
const accountName = process.env.ZUPLO_ACCOUNT_NAME ?? "";
const bucketName = process.env.ZUPLO_BUCKET_NAME ?? "";

const missing = Object.entries({
  ZUPLO_API_KEY: apiKey,
  ZUPLO_ACCOUNT_NAME: accountName,
  ZUPLO_BUCKET_NAME: bucketName,
})
  .filter(([, v]) => !v)
  .map(([k]) => k);
if (missing.length > 0) {
  console.error(`drift probe: set ${missing.join(", ")} (and optionally ZUPLO_API_URL).`);
  process.exit(2);
}

try {
  const result = await runDriftProbe({ upstream, apiKey, accountName, bucketName });
  console.log(formatDriftReport(result, upstream));
  process.exitCode = driftExitCode(result);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`drift probe failed: ${redactSecrets(message, [apiKey])}`);
  process.exitCode = 2;
}
