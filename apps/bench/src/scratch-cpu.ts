// Scratch (not committed): client CPU per request, @keysmith/client vs bare openapi-fetch,
// rotated order, ratios per round, over loopback (c=1, c=10) and a stub fetch.
import { startTsServer } from "./child.js";
import { type Contender, contenders, type FetchLike } from "./clients.js";
import { CREATE_RESPONSE, LIST_RESPONSE } from "./fixtures.js";

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const names = ["openapi-fetch", "@keysmith/client"];
const pick = (all: Contender[]) => names.map((n) => all.find((c) => c.name === n) as Contender);

async function cpuPer(call: () => Promise<unknown>, n: number, concurrency: number) {
  const start = process.cpuUsage();
  const share = Math.floor(n / concurrency);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < share; i++) await call();
    }),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (share * concurrency);
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const fmt = (xs: number[]) =>
  `median ${q(xs, 50).toFixed(3)} (min ${Math.min(...xs).toFixed(3)}, max ${Math.max(...xs).toFixed(3)}, n=${xs.length})`;

async function loopback() {
  const server = await startTsServer("./loopback-server.ts");
  try {
    const clients = pick(contenders(`http://127.0.0.1:${server.port}`));
    for (const concurrency of [1, 10]) {
      const ratios: number[] = [];
      const us: Record<string, number[]> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 ? [...clients].reverse() : clients;
        const cpu: Record<string, number> = {};
        for (const c of order) {
          await cpuPer(() => c.list(), 500, concurrency);
          cpu[c.name] = await cpuPer(() => c.list(), 3000, concurrency);
          (us[c.name] ??= []).push(cpu[c.name] as number);
        }
        ratios.push((cpu["openapi-fetch"] as number) / (cpu["@keysmith/client"] as number));
      }
      console.log(`loopback c=${concurrency}: openapi-fetch/keysmith CPU ratio ${fmt(ratios)}`);
      for (const [n, xs] of Object.entries(us)) console.log(`   ${n}: µs CPU/request ${fmt(xs)}`);
    }
  } finally {
    await server.stop();
  }
}

async function stub() {
  let queue: Response[] = [];
  const fetch: FetchLike = () => Promise.resolve(queue.pop() as Response);
  const clients = pick(contenders("https://stub.invalid", fetch));
  const make = (body: string, n: number) =>
    Array.from(
      { length: n },
      () =>
        new Response(body, {
          status: 200,
          headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
        }),
    );
  for (const op of ["list", "create"] as const) {
    const ratios: number[] = [];
    const us: Record<string, number[]> = {};
    const body = op === "list" ? LIST_RESPONSE : CREATE_RESPONSE;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...clients].reverse() : clients;
      const cpu: Record<string, number> = {};
      for (const c of order) {
        queue = make(body, 2000);
        await cpuPer(() => c[op](), 2000, 1);
        queue = make(body, 20000);
        cpu[c.name] = await cpuPer(() => c[op](), 20000, 1);
        (us[c.name] ??= []).push(cpu[c.name] as number);
      }
      ratios.push((cpu["openapi-fetch"] as number) / (cpu["@keysmith/client"] as number));
    }
    console.log(`stub ${op}: openapi-fetch/keysmith CPU ratio ${fmt(ratios)}`);
    for (const [n, xs] of Object.entries(us)) console.log(`   ${n}: µs CPU/call ${fmt(xs)}`);
  }
}

if (process.argv.includes("--loopback")) await loopback();
if (process.argv.includes("--stub")) await stub();
