// Stainless-style PagePromise: `await` it for the first page, or
// `for await` it to walk every item, one page in memory at a time.
import { rules } from "../generated/rules.js";

export interface Page<Item = unknown> {
  data: Item[];
  limit?: number;
  offset?: number;
  total?: number;
}

type ItemOf<P extends Page> = P["data"][number];

const keyOf = (item: unknown) => (item as { id?: unknown })?.id ?? JSON.stringify(item);

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
   * Walks every item. Stops on an empty or short page, at `total`, or when a
   * page adds no item the previous page did not already have (a server that
   * ignores `offset` keeps sending the same page: that must not loop forever).
   */
  async *[Symbol.asyncIterator](): AsyncIterator<ItemOf<P>> {
    let offset = this.offset ?? 0;
    let page: P = await this;
    let previous = new Set<unknown>();
    for (;;) {
      const seen = new Set<unknown>();
      let added = 0;
      for (const item of page.data) {
        const key = keyOf(item);
        seen.add(key);
        if (previous.has(key)) continue;
        added++;
        yield item;
      }
      offset += page.data.length;
      const limit = page.limit ?? this.limit ?? rules.limit.default;
      if (!added || page.data.length < limit || offset >= (page.total ?? Infinity)) return;
      previous = seen;
      page = await this.load(offset);
    }
  }
}
