/**
 * Request validation with two Ajv instances: bodies are checked strictly (no type coercion, no
 * silently dropped fields), while path and query strings are coerced to the declared types. A
 * number in a URL is read strictly before Ajv coerces it: digits only (a whole number within the
 * schema's range and below 2^53) or a plain decimal, never `0x10`, `1e3`, ` 1` or `Infinity`.
 * Every `format: "date"` is a supported day (shared/day.ts).
 */
import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { isSupportedDay } from '../shared/day.ts';
import { parseInteger, wholeNumberFrom } from '../shared/integer.ts';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function make(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    // errors carry the schema that refused the value, whose title and description name it
    verbose: true,
    ...options,
  });
  addFormats(ajv);
  ajv.addFormat('date', { type: 'string', validate: isSupportedDay });
  return ajv;
}

const strict = make({ coerceTypes: false });
const lenient = make({ coerceTypes: 'array' });

interface NumberField {
  integer: boolean;
  min: number;
  max: number;
}

type JsonSchema = Record<string, unknown>;

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null;

/** The number a property holds, or that each element of its array holds; null for other types. */
function numberField(schema: JsonSchema): NumberField | null {
  const s = schema.type === 'array' && isSchema(schema.items) ? schema.items : schema;
  if (s.type !== 'integer' && s.type !== 'number') return null;
  const bound = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  return {
    integer: s.type === 'integer',
    min: Math.max(bound(s.minimum, -Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER),
    max: Math.min(bound(s.maximum, Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER),
  };
}

const decimal = /^-?\d{1,16}(\.\d{1,16})?$/;

function readsAsNumber(text: string, field: NumberField): boolean {
  if (field.integer) return parseInteger(text, field.min, field.max) !== null;
  return decimal.test(text) && Number(text) >= field.min && Number(text) <= field.max;
}

/** The strings of `data` that the schema's number properties would read loosely, as errors. */
function looseNumbers(fields: Map<string, NumberField>, data: unknown): FastifySchemaValidationError[] {
  const errors: FastifySchemaValidationError[] = [];
  if (!isSchema(data)) return errors;
  const record = data as Record<string, unknown>;
  for (const [name, field] of fields) {
    const value = record[name];
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((t) => typeof t === 'string' && !readsAsNumber(t, field))) {
      errors.push({
        keyword: field.integer ? 'integer' : 'number',
        instancePath: `/${name}`,
        schemaPath: `#/properties/${name}`,
        params: { minimum: field.min, maximum: field.max },
        message: field.integer
          ? `must be ${wholeNumberFrom(field.min, field.max)}, written in digits`
          : `must be a decimal number from ${field.min} to ${field.max}, written in digits`,
      });
    }
  }
  return errors;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart === 'body') return strict.compile(schema);
  const validate = lenient.compile(schema);
  const fields = new Map<string, NumberField>();
  const properties: unknown = isSchema(schema) ? (schema as JsonSchema).properties : undefined;
  if (isSchema(properties)) {
    for (const [name, property] of Object.entries(properties)) {
      const field = isSchema(property) ? numberField(property) : null;
      if (field) fields.set(name, field);
    }
  }
  if (fields.size === 0) return validate;
  return (data: unknown) => {
    const errors = looseNumbers(fields, data);
    if (errors.length > 0) return { error: errors };
    return validate(data) ? { value: data } : { error: validate.errors ?? [] };
  };
};
