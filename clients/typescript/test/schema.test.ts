import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { live, url } from "./live.js";

live("src/schema.d.ts is what openapi-typescript generates from the served document", async () => {
  const script = fileURLToPath(new URL("../../scripts/generate.mjs", import.meta.url));
  const run = spawnSync(process.execPath, [script, "--check", `${url}/openapi/v1.json`], { encoding: "utf8" });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
});
