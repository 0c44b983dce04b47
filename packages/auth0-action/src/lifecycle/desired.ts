// Owns "what a user's consumer looks like": name, owner tag, metadata, description, manager,
// and the ownership test. The action, keysmith-sync and the event handling all use these.
import type { Consumer, ZuploClient } from "@keysmith/client";
import { consumerNameFor, sha256Hex as sha256 } from "../consumer-name.js";

/** The tag that ties a consumer to its Auth0 user (tags are management-only). */
export const USER_TAG = "auth0UserId";

type ConsumerCreateBody = Parameters<ZuploClient["consumers"]["create"]>[0]["body"];

/** The Auth0 user fields the routine reads (a post-login `event.user` or a Management API user). */
export interface LifecycleUser {
  user_id: string;
  email?: string | null | undefined;
  email_verified?: boolean | null | undefined;
  name?: string | null | undefined;
}

/** A person who may see the consumer's keys in the developer portal: `{ email, sub }`. */
export interface ManagerIdentity {
  email: string;
  sub: string;
}

/**
 * What a user's consumer should look like. `owner` is the tag that proves ownership;
 * `manager` is the verified person to add, or `null` while the user has no verified email
 * (the manager is then "pending").
 */
export interface DesiredConsumer {
  name: string;
  description: string;
  owner: { tag: string; value: string };
  tags: Record<string, string>;
  metadata: Record<string, string>;
  manager: ManagerIdentity | null;
}

/** Options shared by every lifecycle function. */
export interface ShapeOptions {
  /** Consumer-name prefix; default `auth0`. */
  prefix?: string;
}

/** A user id this long (UTF-8 bytes, JSON-encoded) or longer is referred to by its hash. */
const PLAIN_ID_MAX_BYTES = 256;
/** Longest consumer description Keysmith writes. */
export const MAX_DESCRIPTION = 200;

export function plainIdFits(userId: string): boolean {
  return Buffer.byteLength(JSON.stringify(userId), "utf8") <= PLAIN_ID_MAX_BYTES;
}

/**
 * The value of the `auth0UserId` tag for a user: the user id itself, or `sha256:<hex>` for an
 * id over 256 bytes (Auth0 sets no length limit; Zuplo sends tags as query parameters and
 * caps metadata at 1 KB). Tags, lookups and the ownership test all use this.
 */
export function userTagValue(userId: string): string {
  return idTagValue(userId);
}

/** An Auth0 id as a tag value: itself, or `sha256:<hex>` over 256 bytes (users and organizations). */
export function idTagValue(id: string): string {
  return plainIdFits(id) ? id : `sha256:${sha256(id)}`;
}

/** Checks the user and throws a TypeError naming the field. */
export function checkUser(user: LifecycleUser): void {
  if (!user || typeof user.user_id !== "string" || user.user_id === "") {
    throw new TypeError("user.user_id: must be a non-empty string");
  }
}

/** The verified email a user may manage their consumer with, or `null`. Never an unverified one. */
export function verifiedManager(user: LifecycleUser): ManagerIdentity | null {
  const email = typeof user.email === "string" ? user.email.trim() : "";
  return user.email_verified === true && email !== "" ? { email, sub: user.user_id } : null;
}

/**
 * The one definition of a user's consumer. Deterministic in `user_id` (name, tag, metadata),
 * so every path (login, sync, events) addresses the same consumer.
 */
export function desiredConsumer(user: LifecycleUser, options: ShapeOptions = {}): DesiredConsumer {
  checkUser(user);
  const userId = user.user_id;
  const label = [user.name, user.email, userId].find(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  ) as string;
  const owner = { tag: USER_TAG, value: userTagValue(userId) };
  return {
    name: consumerNameFor(userId, options.prefix),
    description: `Consumer for ${label}`.slice(0, MAX_DESCRIPTION),
    owner,
    tags: { [owner.tag]: owner.value },
    // Delivered to the gateway as request.user.data; Zuplo caps it at 1 KB.
    metadata: plainIdFits(userId) ? { user_id: userId } : { user_id_sha256: sha256(userId) },
    manager: verifiedManager(user),
  };
}

/** The create body for the desired consumer (the manager only when verified). */
export function createBodyFor(desired: DesiredConsumer): ConsumerCreateBody {
  const body: ConsumerCreateBody = {
    name: desired.name,
    description: desired.description,
    tags: { ...desired.tags },
    metadata: { ...desired.metadata },
  };
  if (desired.manager) body.managers = [{ ...desired.manager }];
  return body;
}

/**
 * The ownership test: does this consumer (as Zuplo answered it) belong to the desired owner?
 * Name and owner tag must both match; a consumer without the tag belongs to nobody here.
 */
export function ownsConsumer(
  consumer: Pick<Consumer, "name" | "tags"> | null | undefined,
  desired: Pick<DesiredConsumer, "name" | "owner">,
): boolean {
  return (
    !!consumer &&
    consumer.name === desired.name &&
    consumer.tags?.[desired.owner.tag] === desired.owner.value
  );
}
