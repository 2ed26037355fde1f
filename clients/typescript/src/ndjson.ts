import type { BatchItem } from "./types.js";

/**
 * The items as an NDJSON request body, pulled from the source as the socket takes them (one line
 * per pull), so memory stays flat however many items there are. Items whose index `include`
 * rejects are skipped (a resumed round sends only what is missing).
 */
export function ndjsonBody(items: AsyncIterable<BatchItem> | Iterable<BatchItem>, include: (index: number) => boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<BatchItem> | Iterator<BatchItem> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
        while (true) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          if (typeof next.value.index === "number" && !include(next.value.index)) continue;
          controller.enqueue(encoder.encode(JSON.stringify(next.value) + "\n"));
          return;
        }
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 16 },
  );
}
