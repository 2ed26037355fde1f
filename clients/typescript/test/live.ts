// The tests run against a live silo named by LEVEE_URL (and LEVEE_ADMIN_KEY, to create their own
// tenant key). Without LEVEE_URL they skip, visibly; under CI=true they fail instead.
import { randomUUID } from "node:crypto";
import { test, type TestContext } from "node:test";
import { LeveeClient, type LeveeClientOptions } from "../src/index.js";

export const url = process.env.LEVEE_URL?.replace(/\/+$/, "");
export const adminKey = process.env.LEVEE_ADMIN_KEY;
const missing = !url || !adminKey ? "LEVEE_URL and LEVEE_ADMIN_KEY are not set (start a silo, or run ./test.sh)" : undefined;

/** A test that needs the silo: skipped without one, failed without one under CI=true. */
export function live(name: string, fn: (t: TestContext) => Promise<void>): void {
  if (missing && process.env.CI === "true") {
    test(name, () => {
      throw new Error(`CI=true: ${missing}`);
    });
  } else if (missing) {
    test(name, { skip: missing }, () => undefined);
  } else {
    test(name, fn);
  }
}

export function admin(): LeveeClient {
  return new LeveeClient({ baseUrl: url!, apiKey: adminKey! });
}

let tenantKey: Promise<string> | undefined;

/** A client with this run's own tenant key (created once per test file). */
export async function tenant(options: Partial<LeveeClientOptions> = {}): Promise<LeveeClient> {
  tenantKey ??= admin()
    .createApiKey(`ts-${randomUUID().slice(0, 8)}`, "tests")
    .then((k) => k.key);
  return new LeveeClient({ baseUrl: url!, apiKey: await tenantKey, retryDelayMs: 20, ...options });
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 12)}`;
