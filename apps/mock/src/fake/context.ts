import { notFound } from "./problem.js";
import type { BucketRecord, ConsumerRecord, FakeState } from "./state.js";
import { queryPaging, tagFilter } from "./validate.js";

export interface Ctx {
  state: FakeState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Account name the fake answers for (who-am-i). */
  accountName: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply;

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const noContent = (): Reply => ({ status: 204 });

export function param(ctx: Ctx, name: string): string {
  const v = ctx.params[name];
  if (v === undefined) throw new Error(`route is missing :${name}`);
  return v;
}

export function findBucket(ctx: Ctx): BucketRecord {
  const name = param(ctx, "bucketName");
  const bucket = ctx.state.buckets.get(name);
  if (!bucket) throw notFound(`Bucket '${name}' was not found.`);
  return bucket;
}

export function hasTags(c: ConsumerRecord, filter: Record<string, string> | undefined): boolean {
  if (!filter) return true;
  for (const k in filter) if (c.tags[k] !== filter[k]) return false;
  return true;
}

/** The path's consumer; a `tag.<name>=<value>` filter that it does not carry makes it 404 too. */
export function findConsumer(ctx: Ctx): { bucket: BucketRecord; consumer: ConsumerRecord } {
  const bucket = findBucket(ctx);
  const name = param(ctx, "consumerName");
  const consumer = bucket.consumers.get(name);
  if (!consumer || !hasTags(consumer, tagFilter(ctx.query))) {
    throw notFound(`Consumer '${name}' was not found in bucket '${bucket.name}'.`);
  }
  return { bucket, consumer };
}

export function paging(ctx: Ctx): { limit: number; offset: number } {
  return queryPaging(ctx.query);
}

export function page<T, R>(
  items: readonly T[],
  p: { limit: number; offset: number },
  map: (item: T) => R,
) {
  return {
    data: items.slice(p.offset, p.offset + p.limit).map(map),
    limit: p.limit,
    offset: p.offset,
    total: items.length,
  };
}
