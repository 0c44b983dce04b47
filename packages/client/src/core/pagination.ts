// Stainless-style PagePromise: `await` it for the first page, or
// `for await` it to walk every item, one page in memory at a time.
import { rules } from "../generated/rules.js";
import { InvalidResponseError } from "./errors.js";

/** Item ids a walk remembers to notice a repeat (the oldest are forgotten first): bounded memory. */
export const SEEN_MAX = 10_000;

export interface Page<Item = unknown> {
  data: Item[];
  limit?: number;
  offset?: number;
  total?: number;
}

type ItemOf<P extends Page> = P["data"][number];

/** An item's identity: its id or name when that is a string or number, else its JSON. */
const keyOf = (item: unknown) => {
  const { id, name } = (item ?? {}) as { id?: unknown; name?: unknown };
  return isKey(id) ? id : isKey(name) ? name : JSON.stringify(item);
};
const isKey = (value: unknown) => typeof value === "string" || typeof value === "number";

/** A page's `limit`, `offset` or `total` when it is a whole number, else undefined (ignored). */
const count = (value: unknown) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;

export class PagePromise<P extends Page> implements Promise<P>, AsyncIterable<ItemOf<P>> {
  #first?: Promise<P>;
  readonly [Symbol.toStringTag] = "PagePromise";

  constructor(
    private readonly load: (offset: number | undefined) => Promise<P>,
    private readonly offset?: number,
    private readonly limit?: number,
  ) {}

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is awaitable on purpose (first page).
  then<A = P, B = never>(
    onFulfilled?: ((page: P) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#first ??= this.load(this.offset);
    return this.#first.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<P | B> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<P> {
    return this.then().finally(onFinally);
  }

  /**
   * Walks every item. Stops on an empty or short page, or at `total`. Ends
   * with an InvalidResponseError when the server answers another offset than
   * asked, or when fewer than half of a page's items are new (pages that
   * alternate or cycle, or an `offset` the server ignores while the list
   * shifts): such a walk could never end. New means not among the last
   * SEEN_MAX ids of the walk.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<ItemOf<P>> {
    let offset = this.offset ?? 0;
    let page: P = await this;
    const seen = new Set<unknown>();
    for (;;) {
      // Only numbers reach a message: a server's other values are never quoted.
      const answered = count(page.offset);
      if (answered !== undefined && answered !== offset)
        throw new InvalidResponseError(200, `has offset ${answered}, not ${offset}`);
      if (page.data.length === 0) return;
      let fresh = 0;
      for (const item of page.data) {
        const key = keyOf(item);
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value);
        fresh++;
        yield item;
      }
      if (fresh * 2 < page.data.length)
        throw new InvalidResponseError(200, "repeats items already walked (offset ignored?)");
      offset += page.data.length;
      const limit = count(page.limit) || this.limit || rules.limit.default;
      if (page.data.length < limit || offset >= (count(page.total) ?? Infinity)) return;
      page = await this.load(offset);
    }
  }
}
