import { compareConditions, compareProperties, type ComparedLine } from './compare.ts';
import type { Definition } from './profiles.ts';

export interface InForce {
  id: number;
  version: number;
  definition: Definition;
  decidedBy: string | null;
  decidedAt: string | null;
}

const changeWords: Record<ComparedLine['change'], string> = {
  unchanged: 'unchanged',
  changed: 'changed',
  added: 'added',
  removed: 'removed',
};

/**
 * A version side by side with the version of its code in force, for the analyst who decides on
 * it: each property and condition in two columns, every difference named in words as well as
 * marked (struck through where it goes, underlined where it comes).
 */
export function VersionComparison({
  code,
  version,
  proposed,
  inForce,
}: {
  code: string;
  version: number;
  proposed: Definition;
  inForce: InForce | null;
}) {
  if (!inForce)
    return (
      <section className="comparison" aria-labelledby="comparison-title">
        <h3 id="comparison-title">Against the version in force</h3>
        <p>No version of {code} is in force: approving this one puts it in force as it stands.</p>
      </section>
    );
  const lines = [
    ...compareProperties(inForce.definition, proposed),
    ...compareConditions(inForce.definition.conditions, proposed.conditions),
  ];
  const changes = lines.filter((l) => l.change !== 'unchanged').length;
  return (
    <section className="comparison" aria-labelledby="comparison-title">
      <h3 id="comparison-title">Against the version in force</h3>
      <p>
        {changes === 0
          ? `Nothing differs from version ${inForce.version}, in force.`
          : `${changes} ${changes === 1 ? 'difference' : 'differences'} from version ${inForce.version}, in force.`}
      </p>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">In force: version {inForce.version}</th>
              <th scope="col">This version: {version}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i} className={l.change}>
                <th scope="row">
                  {l.what}
                  {/* the change is said in words, not only by marks and colour */}
                  <span className={l.change === 'unchanged' ? 'hint change' : 'change'}>
                    {changeWords[l.change]}
                  </span>
                </th>
                <td>
                  {l.change === 'unchanged' || l.inForce === '' ? l.inForce || '—' : <del>{l.inForce}</del>}
                </td>
                <td>
                  {l.change === 'unchanged' || l.proposed === '' ? (
                    l.proposed || '—'
                  ) : (
                    <ins>{l.proposed}</ins>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
