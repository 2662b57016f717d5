import { Field, RoleField } from './Field.tsx';
import { hasParty, represents, worksAtOffices } from './types.ts';

/** What a user may do, as typed in a form: its role, party, offices and represented traders. */
export interface Access {
  role: string;
  partyId: string;
  /** Office codes as typed: "030, 020". */
  offices: string;
  /** Trader identifiers as typed: "TRADER-A, TRADER-B". */
  represents: string;
}

const partyLabels: Record<string, { label: string; hint: string }> = {
  trader: { label: 'Trader identifier', hint: 'The trader this user acts for' },
  partner_agency: {
    label: 'Agency code',
    hint: 'The partner agency this user belongs to (e.g. AGRI); without one it receives nothing',
  },
};

/**
 * The fields of a user's access, the ones its role has: a party for traders, declarants and agencies,
 * offices for officers and supervisors, represented traders for declarants.
 */
export function AccessFields({
  access,
  onChange,
  problems,
  roleHint,
}: {
  access: Access;
  onChange: (a: Access) => void;
  problems: Record<string, string>;
  roleHint?: string;
}) {
  const set = (key: keyof Access) => (e: { target: { value: string } }) =>
    onChange({ ...access, [key]: e.target.value });
  return (
    <>
      <RoleField
        label="Role"
        value={access.role}
        onChange={set('role')}
        problem={problems.role}
        hint={roleHint}
      />
      {hasParty(access.role) && (
        <Field
          label={partyLabels[access.role]?.label ?? 'Declarant code'}
          hint={partyLabels[access.role]?.hint ?? 'The customs broker this user works for'}
          value={access.partyId}
          onChange={set('partyId')}
          problem={problems.partyId}
          autoComplete="off"
          maxLength={35}
        />
      )}
      {worksAtOffices(access.role) && (
        <Field
          label="Customs offices"
          hint="Office codes, separated by commas: 030, 020"
          value={access.offices}
          onChange={set('offices')}
          problem={problems.offices}
          autoComplete="off"
        />
      )}
      {represents(access.role) && (
        <Field
          label="Represented traders"
          hint="Trader identifiers, separated by commas"
          value={access.represents}
          onChange={set('represents')}
          problem={problems.represents}
          autoComplete="off"
        />
      )}
    </>
  );
}
