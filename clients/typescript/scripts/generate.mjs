// Regenerates src/schema.d.ts from Levee's OpenAPI document with openapi-typescript.
//   npm run generate -- <file or URL>      (default: $LEVEE_URL/openapi/v1.json, else
//                                           ../../tests/openapi/generated/openapi.json)
//   npm run check-schema -- <file or URL>  fails when src/schema.d.ts differs from what the
//                                           document generates (the committed types drifted)
// The flags match tests/openapi: --default-non-nullable false, so a field with a default may be
// left out of a request.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const check = args.includes("--check");
const given = args.find((a) => !a.startsWith("--"));
const dumped = resolve(root, "../../tests/openapi/generated/openapi.json");
const source =
  given ?? (process.env.LEVEE_URL ? `${process.env.LEVEE_URL.replace(/\/$/, "")}/openapi/v1.json` : existsSync(dumped) ? dumped : undefined);
if (!source) {
  console.error("usage: npm run generate -- <openapi.json path or URL> (or set LEVEE_URL to a running silo)");
  process.exit(2);
}
const target = join(root, "src", "schema.d.ts");
const scratch = check ? mkdtempSync(join(tmpdir(), "levee-schema-")) : undefined;
const output = scratch ? join(scratch, "schema.d.ts") : target;
const cli = join(root, "node_modules", "openapi-typescript", "bin", "cli.js");
const run = spawnSync(process.execPath, [cli, source, "--output", output, "--default-non-nullable", "false"], { stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);
if (scratch) {
  const same = readFileSync(output, "utf8") === readFileSync(target, "utf8");
  rmSync(scratch, { recursive: true, force: true });
  if (!same) {
    console.error(`src/schema.d.ts is out of date with ${source}: run npm run generate -- ${source}`);
    process.exit(1);
  }
  console.log(`src/schema.d.ts is up to date with ${source}`);
}
