import {
  type Ctx,
  findBucket,
  findConsumer,
  hasTags,
  noContent,
  ok,
  page,
  paging,
  type Reply,
} from "../context.js";
import { now } from "../ids.js";
import { HttpError } from "../problem.js";
import { consumerOut, type Includes, inviteOut, keyOut, managerOut } from "../serialize.js";
import { addInvite, addKey, addManager, type ConsumerRecord } from "../state.js";
import * as v from "../validate.js";

function includes(ctx: Ctx): Includes {
  return {
    apiKeys: v.queryBool(ctx.query, "include-api-keys"),
    managers: v.queryBool(ctx.query, "include-managers"),
    invites: v.queryBool(ctx.query, "include-manager-invites"),
    keyFormat: v.queryKeyFormat(ctx.query),
  };
}

function managedBy(c: ConsumerRecord, email: string): boolean {
  for (const m of c.managers.values()) if (m.email === email) return true;
  for (const i of c.invites.values()) if (i.email === email) return true;
  return false;
}

export function listConsumers(ctx: Ctx): Reply {
  const bucket = findBucket(ctx);
  const p = paging(ctx);
  const inc = includes(ctx);
  const tags = v.tagFilter(ctx.query);
  const email = v.queryEmail(ctx.query, "manager-email");
  let items = bucket.consumers.list();
  // Filtering has to look at every consumer; the unfiltered path is a slice.
  if (tags || email) {
    items = items.filter((c) => hasTags(c, tags) && (!email || managedBy(c, email)));
  }
  return ok(page(items, p, (c) => consumerOut(c, inc)));
}

export function createConsumer(ctx: Ctx): Reply {
  const bucket = findBucket(ctx);
  const withApiKey = v.queryBool(ctx.query, "with-api-key");
  const body = v.consumerCreate(ctx.body);
  if (bucket.consumers.has(body.name)) {
    throw new HttpError(409, `A consumer named '${body.name}' already exists.`);
  }
  const t = now();
  const consumer = ctx.state.addConsumer(bucket.name, {
    name: body.name,
    description: body.description ?? null,
    tags: body.tags,
    metadata: body.metadata,
  });
  const keys = (body.apiKeys ?? []).map((k) => addKey(consumer, k, t));
  if (withApiKey) keys.push(addKey(consumer, {}, t));
  const managers = [];
  const invites = [];
  for (const m of body.managers ?? []) {
    if (typeof m === "string") invites.push(addInvite(consumer, m, t));
    else managers.push(addManager(consumer, m, t));
  }
  const out = consumerOut(consumer);
  // New keys come back in plain text: this is the only time the caller sees them.
  if (keys.length > 0) out.apiKeys = keys.map((k) => keyOut(k, "visible"));
  if (managers.length > 0) out.managers = managers.map(managerOut);
  if (invites.length > 0) out.managerInvites = invites.map(inviteOut);
  return ok(out);
}

export function getConsumer(ctx: Ctx): Reply {
  const inc = includes(ctx);
  return ok(consumerOut(findConsumer(ctx).consumer, inc));
}

export function updateConsumer(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const body = v.consumerUpdate(ctx.body);
  if (body.description !== undefined) consumer.description = body.description;
  if (body.tags !== undefined) consumer.tags = { ...body.tags };
  if (body.metadata !== undefined) consumer.metadata = body.metadata;
  consumer.updatedOn = now();
  return ok(consumerOut(consumer));
}

export function deleteConsumer(ctx: Ctx): Reply {
  const { bucket, consumer } = findConsumer(ctx);
  bucket.consumers.delete(consumer.name);
  return noContent();
}

/**
 * Adds a key and gives the existing keys the new expiry. Zuplo's documents disagree on
 * which keys; the fake never lengthens a key's life: keys expiring earlier keep their date.
 */
export function rollConsumerKey(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const { expiresOn } = v.rollKey(ctx.body);
  const t = now();
  const until = Date.parse(expiresOn);
  for (const k of consumer.keys.values()) {
    if (k.expiresOn === null || Date.parse(k.expiresOn) > until) {
      k.expiresOn = expiresOn;
      k.updatedOn = t;
    }
  }
  addKey(consumer, {}, t);
  consumer.updatedOn = t;
  return noContent();
}
