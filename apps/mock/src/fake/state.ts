import { newKeyValue, now, randomId } from "./ids.js";

export interface KeyRecord {
  id: string;
  key: string;
  description: string | null;
  expiresOn: string | null;
  createdOn: string;
  updatedOn: string;
}
export interface ManagerRecord {
  id: string;
  email: string;
  sub: string;
  createdOn: string;
}
export interface InviteRecord {
  id: string;
  email: string;
  createdOn: string;
}
/** A consumer; its keys, managers and invites Maps are made on first use (cheap bulk seeding). */
export class ConsumerRecord {
  description: string | null = null;
  tags: Record<string, string> = {};
  /** Absent until set: Zuplo's published document has no null metadata. */
  metadata: Record<string, unknown> | undefined;
  updatedOn: string;
  #keys: Map<string, KeyRecord> | undefined;
  #managers: Map<string, ManagerRecord> | undefined;
  #invites: Map<string, InviteRecord> | undefined;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly createdOn: string,
  ) {
    this.updatedOn = createdOn;
  }
  /** Keys by id, in creation order. */
  get keys(): Map<string, KeyRecord> {
    this.#keys ??= new Map();
    return this.#keys;
  }
  /** Managers by id. */
  get managers(): Map<string, ManagerRecord> {
    this.#managers ??= new Map();
    return this.#managers;
  }
  /** Pending invitations by id. */
  get invites(): Map<string, InviteRecord> {
    this.#invites ??= new Map();
    return this.#invites;
  }
}
export interface BucketRecord {
  id: string;
  name: string;
  description: string | null;
  tags: Record<string, string>;
  consumers: ConsumerMap;
  createdOn: string;
  updatedOn: string;
}

/**
 * Insertion-ordered consumers with a cached array, so a page is a slice, not a walk
 * of the Map: appends keep the cache, replacing or deleting drops it (rebuilt on demand).
 */
export class ConsumerMap extends Map<string, ConsumerRecord> {
  #list: ConsumerRecord[] | undefined;
  override set(name: string, consumer: ConsumerRecord): this {
    if (this.has(name)) this.#list = undefined;
    else this.#list?.push(consumer);
    return super.set(name, consumer);
  }
  override delete(name: string): boolean {
    const deleted = super.delete(name);
    if (deleted) this.#list = undefined;
    return deleted;
  }
  override clear(): void {
    this.#list = undefined;
    super.clear();
  }
  /** The consumers in insertion order (do not mutate). */
  list(): readonly ConsumerRecord[] {
    this.#list ??= [...this.values()];
    return this.#list;
  }
}

export interface KeySeed {
  key?: string;
  description?: string | null;
  expiresOn?: string | null;
}
export interface ConsumerSeed {
  name: string;
  description?: string | null;
  tags?: Record<string, string>;
  metadata?: Record<string, unknown>;
  apiKeys?: KeySeed[];
  /** People who manage the consumer. */
  managers?: { email: string; sub: string }[];
  /** Emails with a pending invitation. */
  invites?: string[];
}
export interface BucketSeed {
  name: string;
  description?: string | null;
  tags?: Record<string, string>;
  consumers?: ConsumerSeed[];
}
export interface SeedConsumersOptions {
  /** Name prefix; names are `<prefix><n>` continuing after existing seeds (default "seed-"). */
  prefix?: string;
  tags?: Record<string, string>;
  /** Give each consumer one key (default false). */
  withKey?: boolean;
}

/** The fake's whole world. Seeds are trusted (not validated), so tests can plant anything. */
export class FakeState {
  readonly buckets = new Map<string, BucketRecord>();
  /**
   * Zuplo does not document what adding the same `{email, sub}` twice does. Default false:
   * the existing manager is answered. True: a second entry is made (tests of callers that
   * must converge either way).
   */
  duplicateManagers = false;

  addBucket(seed: BucketSeed): BucketRecord {
    const t = now();
    const bucket: BucketRecord = {
      id: randomId("bckt_", 32),
      name: seed.name,
      description: seed.description ?? null,
      tags: { ...seed.tags },
      consumers: new ConsumerMap(),
      createdOn: t,
      updatedOn: t,
    };
    this.buckets.set(bucket.name, bucket);
    for (const c of seed.consumers ?? []) this.addConsumer(bucket.name, c);
    return bucket;
  }

  bucket(name: string): BucketRecord {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new Error(`fake: no bucket named '${name}'`);
    return bucket;
  }

  addConsumer(bucketName: string, seed: ConsumerSeed): ConsumerRecord {
    const t = now();
    const consumer = new ConsumerRecord(randomId("csmr_"), seed.name, t);
    consumer.description = seed.description ?? null;
    consumer.tags = { ...seed.tags };
    consumer.metadata = seed.metadata;
    for (const k of seed.apiKeys ?? []) addKey(consumer, k, t);
    for (const m of seed.managers ?? []) addManager(consumer, m, t);
    for (const email of seed.invites ?? []) addInvite(consumer, email, t);
    this.bucket(bucketName).consumers.set(consumer.name, consumer);
    return consumer;
  }

  /** Bulk seeding for benchmarks: 100,000 consumers take a few hundred milliseconds. */
  seedConsumers(bucketName: string, count: number, options: SeedConsumersOptions = {}): void {
    const { prefix = "seed-", tags, withKey = false } = options;
    const consumers = this.bucket(bucketName).consumers;
    const t = now();
    let n = consumers.size;
    for (let made = 0; made < count; n++) {
      const name = `${prefix}${n}`;
      if (consumers.has(name)) continue;
      const consumer = new ConsumerRecord(randomId("csmr_"), name, t);
      if (tags) consumer.tags = { ...tags };
      if (withKey) addKey(consumer, {}, t);
      consumers.set(name, consumer);
      made++;
    }
  }

  clear(): void {
    this.buckets.clear();
  }
}

export function addKey(consumer: ConsumerRecord, seed: KeySeed, t = now()): KeyRecord {
  const key: KeyRecord = {
    id: randomId("key_"),
    key: seed.key ?? newKeyValue(),
    description: seed.description ?? null,
    expiresOn: seed.expiresOn ?? null,
    createdOn: t,
    updatedOn: t,
  };
  consumer.keys.set(key.id, key);
  return key;
}

export function addManager(
  consumer: ConsumerRecord,
  m: { email: string; sub: string },
  t = now(),
  allowDuplicate = false,
): ManagerRecord {
  for (const existing of consumer.managers.values()) {
    if (!allowDuplicate && existing.email === m.email && existing.sub === m.sub) return existing;
  }
  const manager: ManagerRecord = {
    id: randomId("eusr_"),
    email: m.email,
    sub: m.sub,
    createdOn: t,
  };
  consumer.managers.set(manager.id, manager);
  return manager;
}

export function addInvite(consumer: ConsumerRecord, email: string, t = now()): InviteRecord {
  for (const existing of consumer.invites.values()) if (existing.email === email) return existing;
  const invite: InviteRecord = { id: randomId("inv_", 16), email, createdOn: t };
  consumer.invites.set(invite.id, invite);
  return invite;
}
