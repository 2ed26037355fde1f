// Phase-2 streaming rate of the client: one batch of N items sent by sendItems from an async
// generator (a streamed NDJSON request body), timed from the first byte to the sealed reply.
//   npm run build && LEVEE_URL=… LEVEE_ADMIN_KEY=… node scripts/bench-items.mjs [N=100000]
//   (or: scripts/with-silo.sh node scripts/bench-items.mjs 100000)
import { LeveeClient } from "../dist/index.js";

const count = Number(process.argv[2] ?? 100_000);
const { LEVEE_URL: baseUrl, LEVEE_ADMIN_KEY: adminKey } = process.env;
if (!baseUrl || !adminKey) {
  console.error("set LEVEE_URL and LEVEE_ADMIN_KEY (or run under scripts/with-silo.sh)");
  process.exit(2);
}
const admin = new LeveeClient({ baseUrl, apiKey: adminKey });
const { key } = await admin.createApiKey(`bench-${Date.now()}`, "bench");
const client = new LeveeClient({ baseUrl, apiKey: key });

async function* items(n) {
  for (let index = 0; index < n; index++) yield { index, input: { url: `img-${index}.png`, width: 640 } };
}

const batch = await client.createBatch({ runCount: count, task: "resize", queue: `bench-${Date.now()}` });
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const result = await client.sendItems(batch.id, items(count));
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    items: count,
    sealed: result.sealed,
    itemsAccepted: result.itemsAccepted,
    seconds: Number(seconds.toFixed(2)),
    itemsPerSecond: Math.round(count / seconds),
    heapGrowthMiB: Number(((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toFixed(1)),
  }),
);
