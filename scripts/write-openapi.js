#!/usr/bin/env node
// `npm run openapi`: writes each port's OpenAPI document to openapi/, from the built controllers (npm run build
// first), so that SDK generators can use it without running Hydrant. test/openapi.e2e-spec.ts fails when the
// committed files differ from what this writes.
require('reflect-metadata');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { openApiFileText } = require('../dist/libs/core/src/openapi/openapi-document.builder');
const { buildPublicOpenApiDocument } = require('../dist/apps/public/src/openapi/public-openapi');
const { buildAdminOpenApiDocument } = require('../dist/apps/admin/src/openapi/admin-openapi');

async function main() {
  const dir = join(__dirname, '..', 'openapi');
  mkdirSync(dir, { recursive: true });
  for (const [name, build] of [['public', buildPublicOpenApiDocument], ['admin', buildAdminOpenApiDocument]]) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, openApiFileText(await build()));
    console.log(`wrote ${file}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
