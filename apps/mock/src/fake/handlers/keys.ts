import {
  type Ctx,
  findConsumer,
  noContent,
  ok,
  page,
  paging,
  param,
  type Reply,
} from "../context.js";
import { now } from "../ids.js";
import { notFound } from "../problem.js";
import { keyOut } from "../serialize.js";
import { addKey, type ConsumerRecord, type KeyRecord } from "../state.js";
import * as v from "../validate.js";

function findKey(ctx: Ctx): { consumer: ConsumerRecord; key: KeyRecord } {
  const { consumer } = findConsumer(ctx);
  const id = param(ctx, "keyId");
  const key = consumer.keys.get(id);
  if (!key) throw notFound(`API key '${id}' was not found for consumer '${consumer.name}'.`);
  return { consumer, key };
}

export function listKeys(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const p = paging(ctx);
  const format = v.queryKeyFormat(ctx.query);
  return ok(page([...consumer.keys.values()], p, (k) => keyOut(k, format)));
}

export function createKey(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const body = v.apiKeyCreate(ctx.body);
  return ok(keyOut(addKey(consumer, body), "visible"));
}

export function bulkCreateKeys(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const bodies = v.bulkKeys(ctx.body);
  const t = now();
  const keys = bodies.map((b) => keyOut(addKey(consumer, b, t), "visible"));
  return ok({ data: keys, limit: keys.length, offset: 0, total: keys.length });
}

export function getKey(ctx: Ctx): Reply {
  const format = v.queryKeyFormat(ctx.query);
  return ok(keyOut(findKey(ctx).key, format));
}

export function updateKey(ctx: Ctx): Reply {
  const { key } = findKey(ctx);
  const body = v.apiKeyUpdate(ctx.body);
  if (body.description !== undefined) key.description = body.description;
  if (body.expiresOn !== undefined) key.expiresOn = body.expiresOn;
  if (body.key !== undefined) key.key = body.key;
  key.updatedOn = now();
  return ok(keyOut(key));
}

export function deleteKey(ctx: Ctx): Reply {
  const { consumer, key } = findKey(ctx);
  consumer.keys.delete(key.id);
  return noContent();
}
