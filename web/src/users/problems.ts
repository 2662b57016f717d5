import { RequestFailed } from '../api.ts';

/** A refusal of the API, split into the problems of each field of a form and the rest. */
export interface Problems {
  fields: Record<string, string>;
  general: string | null;
}

export const noProblems: Problems = { fields: {}, general: null };

/**
 * Where the server's words belong: a refusal of the users API names its field
 * (`details.field`); a body that does not match the schema lists each path (`details[].path`,
 * such as `offices[0]`, with its name in words, `details[].name`). What names no field of the form is said above it.
 */
export function problemsOf(error: unknown, known: readonly string[]): Problems {
  if (!(error instanceof RequestFailed))
    return { fields: {}, general: error instanceof Error ? error.message : String(error) };
  const { details, message } = error.problem;
  const fields: Record<string, string> = {};
  const add = (field: string | undefined, text: string) => {
    if (field && known.includes(field)) fields[field] = fields[field] ? `${fields[field]}; ${text}` : text;
    else return false;
    return true;
  };
  if (Array.isArray(details)) {
    // an element of a list is named as the API names it in words ("Office 1"), else by its path
    const rest = (details as { path?: string; name?: string; message?: string }[]).filter(
      (d) =>
        !add(
          d.path?.split(/[.[]/)[0],
          d.path?.includes('[')
            ? d.name
              ? `${d.name} ${d.message}`
              : `${d.path}: ${d.message}`
            : (d.message ?? 'invalid'),
        ),
    );
    return { fields, general: rest.length || Object.keys(fields).length === 0 ? message : null };
  }
  const field = (details as { field?: string } | undefined)?.field;
  return add(field, message) ? { fields, general: null } : { fields, general: message };
}
