import type { Core, ListMethod, Method } from "../core/transport.js";

/** `zuplo.managers`: one method per operation of the spec. */
export interface ManagersResource {
  list: ListMethod<"listManagers">;
  create: Method<"createManager">;
  delete: Method<"deleteManager">;
}

export const managers = ({ method, pages }: Core): ManagersResource => ({
  /** One page (`await`) or every manager of the consumer (`for await`). */
  list: pages("listManagers"),
  /** Adds a person (email + identity-provider `sub`) as a manager. */
  create: method("createManager"),
  delete: method("deleteManager"),
});
