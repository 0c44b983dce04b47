// Renders the results as Markdown: RESULTS.md and the console table are the same text.
import type { Operation } from "./overhead.js";
import { OPERATIONS } from "./overhead.js";
import { round } from "./stats.js";
import type { Results } from "./suite.js";

const table = (headers: string[], rows: (string | number)[][]) =>
  [
    `| ${headers.join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number, digits = 2) => `${round(n, digits)} ms`;
const mib = (bytes: number) => `${round(bytes / 2 ** 20, 2)} MiB`;
const x = (n: number) => `${round(n, 2).toFixed(2)}×`;

function overheadSection(r: Results): string {
  const rows = r.overhead.map((row) => [
    OPERATIONS[row.op],
    row.client,
    int(row.opsPerSec),
    round(row.micros, 1),
    x(row.ratio),
    `${int(Math.min(...row.rounds))} – ${int(Math.max(...row.rounds))}`,
  ]);
  const steps = (["list", "create"] as Operation[]).map((op) => {
    const us = (client: string) =>
      r.overhead.find((row) => row.op === op && row.client === client)?.micros ?? Number.NaN;
    const base = us("openapi-fetch");
    const signal = us("openapi-fetch + signal") - base;
    const timer = us("openapi-fetch + signal + timer") - us("openapi-fetch + signal");
    const rest = us("@keysmith/client") - us("openapi-fetch + signal + timer");
    const gap = us("@keysmith/client") - base;
    return `- ${OPERATIONS[op]}: @keysmith/client takes ${round(gap, 1)} µs more per call than bare openapi-fetch (${round(base, 1)} µs): the AbortController signal in the Request ${round(signal, 1)} µs, arming and clearing the timeout timer ${round(timer, 1)} µs, everything else (input checks, param mapping, text parse, User-Agent) ${round(rest, 1)} µs.`;
  });
  const ratio = (op: Operation) =>
    r.overhead.find((row) => row.op === op && row.client === "@keysmith/client")?.ratio ?? 0;
  const verdict = (["list", "create"] as Operation[])
    .map((op) => `${op} ${x(ratio(op))}`)
    .join(", ");
  return [
    "## 1. Client overhead (stub fetch)",
    "",
    `@keysmith/client vs bare openapi-fetch: ${verdict} (target ≥ 0.90×).`,
    "",
    table(
      [
        "call",
        "client",
        "ops/s (median)",
        "µs/call",
        "vs openapi-fetch",
        "ops/s, slowest – fastest round",
      ],
      rows,
    ),
    "",
    "Where the difference goes (differences of medians, so approximate; a negative step is within the noise):",
    "",
    ...steps,
  ].join("\n");
}

function loopbackSection(r: Results): string {
  return [
    "## 2. Loopback HTTP (keep-alive node:http server, child process)",
    "",
    table(
      [
        "client",
        "concurrency",
        "requests",
        "req/s (median round)",
        "vs openapi-fetch",
        "p50",
        "p99",
      ],
      r.loopback.map((row) => [
        row.client,
        row.concurrency,
        int(row.requests),
        int(row.rps),
        x(row.ratio),
        ms(row.p50, 3),
        ms(row.p99, 3),
      ]),
    ),
  ].join("\n");
}

function coldStartSection(r: Results): string {
  const [action, undici] = r.coldStart;
  const lead =
    action && undici
      ? `Loading the action takes ${ms(action.requireMedian)} (median), undici ${ms(undici.requireMedian)}: ${round(undici.requireMedian / action.requireMedian, 1)}× less time for the action.`
      : "";
  return [
    "## 3. Auth0 action",
    "",
    "### Cold start: `require()` in a fresh `node -e`",
    "",
    lead,
    "",
    table(
      ["module", "runs", "require median", "require p90", "require min", "whole process median"],
      r.coldStart.map((row) => [
        row.module,
        row.runs,
        ms(row.requireMedian),
        ms(row.requireP90),
        ms(row.requireMin),
        ms(row.processMedian, 0),
      ]),
    ),
    "",
    "### Login latency through the harness, against the stateful fake",
    "",
    table(
      ["scenario", "runs", "requests per login", "outcome", "median", "p90", "min"],
      r.login.map((row) => [
        row.scenario,
        row.runs,
        row.requests,
        row.outcome,
        ms(row.median, 3),
        ms(row.p90, 3),
        ms(row.min, 3),
      ]),
    ),
  ].join("\n");
}

function paginationSection(r: Results): string {
  const [small, large] = [r.pagination.at(0), r.pagination.at(-1)];
  const lead =
    small && large && small !== large
      ? `${round(large.consumers / small.consumers, 1)}× the consumers: retained heap ${mib(small.retainedHeapGrowth)} → ${mib(large.retainedHeapGrowth)}, peak heap (garbage included) ${mib(small.peakHeapGrowth)} → ${mib(large.peakHeapGrowth)}.`
      : "";
  return [
    "## 4. Pagination at scale (`for await` over `consumers.list`)",
    "",
    lead,
    "",
    table(
      [
        "consumers",
        "limit",
        "items",
        "requests (expected)",
        "time",
        "consumers/s",
        "peak heap growth",
        "retained heap growth",
      ],
      r.pagination.map((row) => [
        int(row.consumers),
        row.limit,
        int(row.items),
        `${row.requests} (${row.expectedRequests})`,
        ms(row.ms, 0),
        int(row.itemsPerSec),
        mib(row.peakHeapGrowth),
        mib(row.retainedHeapGrowth),
      ]),
    ),
  ].join("\n");
}

const METHOD = `## Method

- **1. Overhead.** Each client calls a stub \`fetch\` that resolves at once with a
  \`Response\` built in tinybench's \`beforeEach\` (outside the timed window), as
  openapi-fetch's own benchmark does. \`fetch\` is a hand-written call (\`stub(url, init)\`,
  no \`Request\` object is built, so it is a floor, not a peer); openapi-fetch is
  \`createClient<paths>\` with the generated \`paths\`; @keysmith/client is
  \`createZuploClient({ fetch: stub })\`. The two "openapi-fetch + …" rows add the client's
  per-attempt timeout (a new AbortController whose signal goes into the Request, then also
  a setTimeout/clearTimeout) to bare openapi-fetch. Rounds run every client in turn, in a
  rotating order; the figures are medians over rounds and the ratio is the median of
  per-round ratios, so load drifting between rounds cancels out.
- **2. Loopback.** The real global fetch (undici in Node) against a keep-alive
  \`node:http\` server in a child process on 127.0.0.1 that answers every request with the
  same 3-consumer JSON page. Per client: warm-up, then a fixed number of \`listConsumers\`
  calls, sequential (concurrency 1) and from N concurrent loops; several rounds with the
  client order rotating. req/s is the median round; p50/p99 over all requests.
- **3a. Cold start.** A fresh \`node -e\` per run \`require()\`s the file and reports
  \`performance.now()\` around the require; the action (a byte-identical \`.cjs\` copy of
  \`dist/action.js\`, as Auth0 loads it as CommonJS) and undici are alternated; the files
  are read once beforehand so both are in the OS cache.
- **3b. Login.** The built \`dist/action.js\` loaded by the auth0-action harness
  (\`loadActionFile\`, \`Auth0Tenant\`) against \`startFakeZuplo\` in process. Returning user:
  \`app_metadata.api_consumer\` already set. New user: a fresh \`user_id\` per login. 409:
  the consumer the action would create is planted first (tagged for that user), so the action
  gets 409 and adopts it with a GET. Time is the harness's trigger duration; requests are
  counted by the fake. Scenarios interleave after a warm-up.
- **4. Pagination.** The fake runs in this process, seeded with \`seedConsumers\`; the walk
  runs in a fresh child process (\`node --expose-gc\`) that holds only the client, so the
  heap measured is the client's, not the fake's. Two walks per size: *timed* (no forced GC;
  heapUsed sampled every 100 items, so the peak includes garbage not yet collected and
  depends on when V8 chooses to collect) and *retained* (\`gc()\` at every page boundary,
  then heapUsed: what the walk keeps alive). Node's fetch keeps a resource-timing entry
  per request (about 1.7 KB, up to 250) whatever the client; the retained walk clears them
  before each sample. Growth is measured from a post-GC baseline after creating the client.`;

export function renderMarkdown(r: Results): string {
  const m = r.machine;
  const busy = Math.max(m.loadStart, m.loadEnd ?? 0) > m.cores * 0.75;
  return [
    "# @keysmith/bench results",
    "",
    `Generated by \`pnpm bench\` (${r.config.mode} run, ${round(r.durationMs / 1000, 1)} s).`,
    "",
    "## Machine",
    "",
    table(
      ["CPU", "cores", "memory", "Node", "platform", "date", "load avg 1 min (start → end)"],
      [
        [
          m.cpu,
          m.cores,
          `${m.memoryGiB} GiB`,
          m.node,
          m.platform,
          m.date,
          `${round(m.loadStart, 2)} → ${round(m.loadEnd ?? 0, 2)}`,
        ],
      ],
    ),
    ...(busy
      ? [
          "",
          `> The machine was busy (load average above ${round(m.cores * 0.75, 1)} on ${m.cores} cores: other work was running). Absolute figures are pessimistic and noisy; ratios taken within a round hold up better. Re-run on an idle machine for publishable numbers.`,
        ]
      : []),
    "",
    overheadSection(r),
    "",
    loopbackSection(r),
    "",
    coldStartSection(r),
    "",
    paginationSection(r),
    "",
    METHOD,
    "",
  ].join("\n");
}
