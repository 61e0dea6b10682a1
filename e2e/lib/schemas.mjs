// The JSON Schemas of docs/schema (the ones the jar ships and the admin server serves), checked
// with Ajv's draft 2020-12 validator: events received by a test and Admin replies it got.
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const DIR = new URL('../../docs/schema/', import.meta.url);
const BASE = 'https://portunus.invalid/schema/';

let ajv;
function load() {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false });
    for (const file of fs.readdirSync(DIR).filter(f => f.endsWith('.schema.json'))) {
      ajv.addSchema(JSON.parse(fs.readFileSync(new URL(file, DIR), 'utf8')));
    }
  }
  return ajv;
}

/** The problems schema `name` finds in `value` (empty when it validates). */
export function schemaProblems(name, value) {
  const validate = load().getSchema(BASE + name + '.schema.json');
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? [] : validate.errors.map(e => `${e.instancePath || '/'} ${e.message}`);
}

/** Each event that does not validate against event.schema.json, with its problems. */
export function invalidEvents(events) {
  return events.map(e => ({ event: e, problems: schemaProblems('event', e) })).filter(r => r.problems.length > 0);
}
