// Opens Levee's dashboard in headless Chromium, signed in, on a project and on one execution's
// drill-down stream, and keeps it open until killed: the "page open and streaming" side of
// dashboard-cost.sh. It uses the Playwright that tests/Gateway.Tests already restores (its
// playwright-core, driving the system's chromium), so it needs no npm install.
// Usage: node dashboard-watch.mjs <base url> <admin key> <tenant/project> [execution id]
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [url, key, project, execution] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { chromium } = require(join(here, "../Gateway.Tests/bin/Debug/net10.0/.playwright/package"));
const browser = await chromium.launch({ executablePath: process.env.LEVEE_TEST_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ baseURL: url });
await page.goto("/");
await page.fill("#signin-key", key);
await page.click("#signin button[type=submit]");
await page.waitForSelector("#app", { state: "visible" });
await page.selectOption("#project", project);
if (execution) await page.evaluate(id => { location.hash = "#/execution/" + id; }, execution);
console.log("dashboard open");
process.on("SIGTERM", async () => { await browser.close(); process.exit(0); });
setInterval(() => {}, 1 << 30);
