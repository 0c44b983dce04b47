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
import { notFound } from "../problem.js";
import { managerOut } from "../serialize.js";
import { addManager } from "../state.js";
import * as v from "../validate.js";

export function listManagers(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const p = paging(ctx);
  return ok(page([...consumer.managers.values()], p, managerOut));
}

/** Adding the same {email, sub} twice answers the existing manager (unless `duplicateManagers`). */
export function createManager(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const body = v.managerCreate(ctx.body);
  return ok(managerOut(addManager(consumer, body, undefined, ctx.state.duplicateManagers)));
}

/** Removes a manager, or a pending invitation by its id. */
export function deleteManager(ctx: Ctx): Reply {
  const { consumer } = findConsumer(ctx);
  const id = param(ctx, "managerId");
  if (!consumer.managers.delete(id) && !consumer.invites.delete(id)) {
    throw notFound(`Manager '${id}' was not found for consumer '${consumer.name}'.`);
  }
  return noContent();
}
