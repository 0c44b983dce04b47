// Records → wire bodies, shaped by the spec's types.

import type { ApiKey, Bucket, Consumer, KeyFormat, Manager, ManagerInvite } from "./spec-types.js";
import type {
  BucketRecord,
  ConsumerRecord,
  InviteRecord,
  KeyRecord,
  ManagerRecord,
} from "./state.js";

export interface Includes {
  apiKeys?: boolean;
  managers?: boolean;
  invites?: boolean;
  keyFormat?: KeyFormat;
}

export function bucketOut(b: BucketRecord): Bucket {
  return {
    id: b.id,
    name: b.name,
    // Not nullable in Zuplo's published document: absent until set.
    ...(b.description !== null && { description: b.description }),
    tags: b.tags,
    isRetrievable: true,
    createdOn: b.createdOn,
    updatedOn: b.updatedOn,
  };
}

/** Masked like Zuplo's portal: the prefix and the last 8 characters. */
export function maskKey(key: string): string {
  return key.length > 17 ? `${key.slice(0, 9)}...${key.slice(-8)}` : "...";
}

export function keyOut(k: KeyRecord, format: KeyFormat = "masked"): ApiKey {
  const out: ApiKey = {
    id: k.id,
    description: k.description,
    expiresOn: k.expiresOn,
    createdOn: k.createdOn,
    updatedOn: k.updatedOn,
  };
  if (format === "visible") out.key = k.key;
  else if (format === "masked") out.key = maskKey(k.key);
  return out;
}

export function managerOut(m: ManagerRecord): Manager {
  return { id: m.id, email: m.email, sub: m.sub, createdOn: m.createdOn };
}

export function inviteOut(i: InviteRecord): ManagerInvite {
  return { id: i.id, email: i.email, createdOn: i.createdOn };
}

export function consumerOut(c: ConsumerRecord, inc: Includes = {}): Consumer {
  const out: Consumer = {
    id: c.id,
    name: c.name,
    description: c.description,
    tags: c.tags,
    ...(c.metadata !== undefined && { metadata: c.metadata }),
    createdOn: c.createdOn,
    updatedOn: c.updatedOn,
  };
  if (inc.apiKeys) out.apiKeys = [...c.keys.values()].map((k) => keyOut(k, inc.keyFormat));
  if (inc.managers) out.managers = [...c.managers.values()].map(managerOut);
  if (inc.invites) out.managerInvites = [...c.invites.values()].map(inviteOut);
  return out;
}
