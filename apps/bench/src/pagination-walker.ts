// Child process (run with --expose-gc): walks every consumer of a bucket with
// `for await` over `consumers.list`, in a process holding nothing but the client, so its
// heap is the client's. Usage: pagination-walker.ts <baseUrl> <bucket> <limit> <timed|retained>
//   timed:    no forced GC; time the walk and sample heapUsed every 100 items (garbage included).
//   retained: gc() at every page boundary before sampling: memory the walk keeps alive.
import { createZuploClient } from "@keysmith/client";
import { ACCOUNT, API_KEY } from "./fixtures.js";

const [baseUrl = "", bucketName = "", limitText = "", mode = ""] = process.argv.slice(2);
const limit = Number(limitText);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
if (mode !== "timed" && mode !== "retained") throw new Error(`unknown mode ${mode}`);

const zuplo = createZuploClient({ apiKey: API_KEY, accountName: ACCOUNT, baseUrl });
gc();
const baseline = process.memoryUsage().heapUsed;
let peak = baseline;
let items = 0;
const started = performance.now();
for await (const consumer of zuplo.consumers.list({ bucketName, limit })) {
  if (typeof consumer.name !== "string") throw new Error("a consumer without a name");
  items++;
  if (mode === "retained" ? items % limit === 0 : items % 100 === 0) {
    if (mode === "retained") {
      // Node's fetch files a resource-timing entry per request (~1.7 KB, up to 250 of
      // them) whatever the client: not the client's memory, so not counted.
      performance.clearResourceTimings();
      gc();
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
}
const ms = performance.now() - started;
gc();
const after = process.memoryUsage().heapUsed;
process.stdout.write(
  `${JSON.stringify({ items, ms, baseline, peakGrowth: peak - baseline, afterGrowth: after - baseline })}\n`,
);
