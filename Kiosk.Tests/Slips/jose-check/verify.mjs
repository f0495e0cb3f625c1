// Verifies a slip token with the `jose` package, independently of the product's own code (issue 6, "Done when").
// Usage: node verify.mjs <jwks.json> <token>
// Prints {"header":…, "claims":…, "thumbprints":[{kid, computed}]} on success; on failure prints {"error": code} and exits 1.
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { compactVerify, createLocalJWKSet, calculateJwkThumbprint } from "jose";

const [jwksPath, token] = process.argv.slice(2);
const jwks = JSON.parse(readFileSync(jwksPath, "utf8"));
const thumbprints = [];
for (const key of jwks.keys) thumbprints.push({ kid: key.kid, computed: await calculateJwkThumbprint(key, "sha256") });
try {
  const { payload, protectedHeader } = await compactVerify(token, createLocalJWKSet(jwks), { algorithms: ["ES256"] });
  if (protectedHeader.zip !== "DEF") throw Object.assign(new Error("no zip"), { code: "ERR_NOT_DEFLATE" });
  const claims = JSON.parse(inflateRawSync(payload, { maxOutputLength: 4096 }).toString("utf8"));
  console.log(JSON.stringify({ header: protectedHeader, claims, thumbprints }));
} catch (e) {
  console.log(JSON.stringify({ error: e.code || e.name, thumbprints }));
  process.exit(1);
}
