import { contenders, type FetchLike } from "./clients.js";
import { LIST_RESPONSE } from "./fixtures.js";
let queue: Response[] = [];
const fetch: FetchLike = () => Promise.resolve(queue.pop() as Response);
const c = contenders("https://stub.invalid", fetch).find((x) => x.name === (process.env.WHO ?? "@keysmith/client"))!;
const mk = (n: number) => Array.from({ length: n }, () => new Response(LIST_RESPONSE, { status: 200, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(LIST_RESPONSE)) } }));
for (let r = 0; r < 5; r++) { queue = mk(10000); for (let i = 0; i < 10000; i++) await c.list(); }
