import { type Ctx, findBucket, noContent, ok, type Reply } from "../context.js";
import { now } from "../ids.js";
import { badRequest } from "../problem.js";
import { bucketOut } from "../serialize.js";
import * as v from "../validate.js";

export function whoAmI(ctx: Ctx): Reply {
  return ok({ sub: `zpka_user_${ctx.accountName}`, account: ctx.accountName });
}

export function listBuckets(ctx: Ctx): Reply {
  return ok({ data: [...ctx.state.buckets.values()].map(bucketOut) });
}

export function createBucket(ctx: Ctx): Reply {
  const body = v.bucketCreate(ctx.body);
  // The spec declares no 409 for buckets, so a duplicate is a 400.
  if (ctx.state.buckets.has(body.name)) {
    throw badRequest(`A bucket named '${body.name}' already exists.`);
  }
  const bucket = ctx.state.addBucket({
    name: body.name,
    description: body.description ?? null,
    tags: body.tags,
  });
  return ok(bucketOut(bucket));
}

export function getBucket(ctx: Ctx): Reply {
  return ok(bucketOut(findBucket(ctx)));
}

export function updateBucket(ctx: Ctx): Reply {
  const bucket = findBucket(ctx);
  const body = v.bucketUpdate(ctx.body);
  if (body.description !== undefined) bucket.description = body.description;
  if (body.tags !== undefined) bucket.tags = { ...body.tags };
  bucket.updatedOn = now();
  return ok(bucketOut(bucket));
}

export function deleteBucket(ctx: Ctx): Reply {
  const bucket = findBucket(ctx);
  ctx.state.buckets.delete(bucket.name);
  return noContent();
}
