/**
 * The problems the server finds in a refused profile, each placed at the input it concerns: the
 * input is marked invalid and described by the problem's text, which is shown right below it.
 */

/** A problem the server found in a profile, at a path such as `weight` or `conditions[2].value`. */
export interface Problem {
  path: string;
  message: string;
}

/** The attributes that tie an input to the problems found at its path. */
export type Described = { 'aria-invalid'?: boolean; 'aria-describedby'?: string };

/** The problems in the details of a refused profile (`{ problems: [{ path, message }] }`), if any. */
export function problemsOf(details: unknown): Problem[] {
  if (typeof details !== 'object' || details === null || !('problems' in details)) return [];
  const list: unknown = details.problems;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: unknown) =>
    typeof p === 'object' &&
    p !== null &&
    'path' in p &&
    'message' in p &&
    typeof p.path === 'string' &&
    typeof p.message === 'string'
      ? [{ path: p.path, message: p.message }]
      : [],
  );
}

/** The condition rows a problem concerns as a whole, e.g. both rows of a contradiction. */
function rowsOf(path: string): number[] {
  if (!/^conditions\[\d+\](?: and conditions\[\d+\])*$/.test(path)) return [];
  return [...path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

const placed = ['code', 'name', 'lane', 'weight', 'reason', 'validFrom', 'validTo', 'conditions'];

/** Where each problem goes in a form whose element ids start with `prefix`. */
export function placeProblems(problems: Problem[], prefix: string) {
  const at = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);
  const id = (path: string) => `${prefix}-${path}`.replace(/\W/g, '-');
  return {
    at,
    id,
    /** What is wrong with the value of condition `i`: at its value, or with the row as a whole. */
    atValue: (i: number) => [
      ...at(`conditions[${i}].value`),
      ...problems.filter((p) => rowsOf(p.path).includes(i)).map((p) => p.message),
    ],
    described: (path: string, messages = at(path)): Described =>
      messages.length ? { 'aria-invalid': true, 'aria-describedby': id(path) } : {},
    /** Problems no input of the form stands for, shown above it. */
    elsewhere: problems.filter(
      (p) =>
        !placed.includes(p.path) &&
        !/^conditions\[\d+\]\.(field|op|value)$/.test(p.path) &&
        rowsOf(p.path).length === 0,
    ),
  };
}

export type PlacedProblems = ReturnType<typeof placeProblems>;

/** The text of the problems at one input, which that input names as its description. */
export function ProblemText({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <span id={id} className="problem">
      {messages.join('; ')}
    </span>
  );
}
