// Owns the sync's view of the bucket: every consumer, streamed page by page into a compact
// index (name -> owner tag and managers), and the consumers no owner claimed (orphans).
import type { Consumer, RequestOptions, ZuploClient } from "@keysmith/client";
import { ACCESS_TAG } from "../events/event-state.js";
import { USER_TAG } from "../lifecycle/index.js";
import type { ConsumerSnapshot } from "../lifecycle/plan.js";

/** Zuplo's largest page. */
const PAGE = 1000;

interface Entry {
  /** The owner tag (`auth0UserId`, or `auth0OrgId` in organization scope), when present. */
  owner: string | undefined;
  /** `[id, email, sub]` triples: a small array per consumer instead of full objects. */
  managers: Array<[string, string, string]>;
  /** The `auth0Access` tag (suspended or active, and when), when the consumer carries one. */
  access: string | undefined;
}

/**
 * The bucket's consumers, reduced to what planning needs. Memory grows with the consumer
 * count (a name, a tag and the managers each), never with full consumer objects or keys;
 * owners are dropped as their users are planned, so what is left at the end is the orphans.
 */
export class ConsumerIndex {
  private readonly byName = new Map<string, Entry>();
  /** Owner tag value -> names of consumers tagged with it (usually one). */
  private readonly byOwner = new Map<string, string[]>();
  /** Consumers read. */
  count = 0;

  /** `tag`: the owner tag this index keys on (consumers with another owner tag are kept too). */
  constructor(readonly tag: string = USER_TAG) {}

  add(consumer: Pick<Consumer, "name" | "tags" | "managers">): void {
    const owner = consumer.tags?.[this.tag];
    // A manager's sub is usually the owner's id: keep one copy of the string, not two.
    const managers = (consumer.managers ?? []).map(
      (m) => [m.id, m.email, m.sub === owner ? owner : (m.sub ?? "")] as [string, string, string],
    );
    this.byName.set(consumer.name, { owner, managers, access: consumer.tags?.[ACCESS_TAG] });
    this.count += 1;
    if (owner !== undefined) {
      const names = this.byOwner.get(owner);
      if (names) names.push(consumer.name);
      else this.byOwner.set(owner, [consumer.name]);
    }
  }

  /** The consumer at `name` as the planner wants it, or `null` when the bucket has none. */
  snapshot(name: string): ConsumerSnapshot | null {
    const entry = this.byName.get(name);
    if (!entry) return null;
    return {
      name,
      tags: entry.owner === undefined ? {} : { [this.tag]: entry.owner },
      managers: entry.managers.map(([id, email, sub]) => ({ id, email, sub })),
    };
  }

  /** The managers' emails of the consumer at `name` (an orphan's tell who the person is). */
  managerEmails(name: string): string[] {
    return (this.byName.get(name)?.managers ?? []).map(([, email]) => email).filter(Boolean);
  }

  /** The `sub` of every manager of a consumer that carries the owner tag. */
  managerSubs(): Set<string> {
    const subs = new Set<string>();
    for (const entry of this.byName.values()) {
      if (entry.owner === undefined) continue;
      for (const [, , sub] of entry.managers) if (sub) subs.add(sub);
    }
    return subs;
  }

  /** The consumers tagged for `ownerTag` with their access tag (before `claim`). */
  owned(ownerTag: string): Array<{ name: string; access: string | undefined }> {
    return (this.byOwner.get(ownerTag) ?? []).map((name) => ({
      name,
      access: this.byName.get(name)?.access,
    }));
  }

  /** The owner `ownerTag` exists: its consumers are not orphans. */
  claim(ownerTag: string): void {
    this.byOwner.delete(ownerTag);
  }

  /** Consumers tagged with an owner nobody claimed: `[consumerName, ownerTag]`. */
  *orphans(): Generator<[string, string]> {
    for (const [owner, names] of this.byOwner) for (const name of names) yield [name, owner];
  }
}

/** Reads every consumer of the bucket (with managers, without keys) into an index on `tag`. */
export async function readConsumers(
  client: ZuploClient,
  bucketName: string,
  options: RequestOptions = {},
  tag: string = USER_TAG,
): Promise<ConsumerIndex> {
  const index = new ConsumerIndex(tag);
  const pages = client.consumers.list({ bucketName, includeManagers: true, limit: PAGE }, options);
  for await (const consumer of pages) index.add(consumer);
  return index;
}
