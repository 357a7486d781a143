#!/usr/bin/env node
// Writes schema/runai-access.schema.json from the zod schema in lib/config/schema.ts.
// Run `npm run build` first (npm run schema does not compile). A test fails when the
// committed file differs from what this prints, so the two cannot drift apart.
const fs = require('node:fs');
const path = require('node:path');
const { jsonSchema } = require('../build/lib/config/schema');

const file = path.join(__dirname, '..', 'schema', 'runai-access.schema.json');
fs.writeFileSync(file, jsonSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
