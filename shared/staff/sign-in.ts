import type { CoreDependencies } from '../ports/dependencies.js';
import { recordAudit } from './audit.js';
import type { IdentityClaims } from './identity-provider.js';
import { auditedStaff, newStaffRecord, staffEmailSchema, type StaffRecord } from './staff-record.js';

export type SignInOutcome =
  | { kind: 'staff'; staff: StaffRecord }
  /** The identity provider knows them; crier has no current staff record for them. */
  | { kind: 'unknown'; email: string | undefined };

/**
 * Who a signed-in identity is at crier. The identity provider's subject finds them once bound;
 * before their first sign-in, an operator added them by email, and the first sign-in with that
 * (verified) email binds the subject, so a later change of email at the provider still finds
 * them and nobody else can take their place with the same address. A record bound to another
 * subject is not theirs. The deployment's first operator (FIRST_OPERATOR_EMAIL) is made an
 * operator at their first sign-in while crier has no staff at all.
 */
export async function identifyStaff(deps: CoreDependencies, claims: IdentityClaims, firstOperatorEmail?: string): Promise<SignInOutcome> {
  const staff = deps.stores.staff;
  const bound = await staff.findBySubject(claims.subject);
  if (bound) return { kind: 'staff', staff: bound };
  const email = claims.email === undefined ? undefined : staffEmailSchema.safeParse(claims.email).data;
  if (email === undefined || !claims.emailVerified) return { kind: 'unknown', email };
  const byEmail = await staff.findByEmail(email);
  if (byEmail) {
    if (byEmail.subject !== undefined) return { kind: 'unknown', email };
    const boundNow = await staff.bindSubject(byEmail.id, claims.subject);
    return boundNow ? { kind: 'staff', staff: boundNow } : { kind: 'unknown', email };
  }
  if (firstOperatorEmail !== undefined && email === staffEmailSchema.parse(firstOperatorEmail)) {
    const { items } = await staff.list(1, undefined);
    if (items.length === 0) return { kind: 'staff', staff: await addFirstOperator(deps, claims, email) };
  }
  return { kind: 'unknown', email };
}

async function addFirstOperator(deps: CoreDependencies, claims: IdentityClaims, email: string): Promise<StaffRecord> {
  const record = newStaffRecord(
    { email, name: claims.name ?? email, department: '*', role: 'operator', mode: 'live', subject: claims.subject },
    deps.ids.next(),
    deps.clock.now(),
    'deployment',
  );
  await deps.stores.staff.create(record);
  const deployment = { keyId: 'deployment', name: 'the deployment (first operator)', role: 'operator' as const, department: '*', mode: 'live' as const };
  await recordAudit(deps, deployment, 'staff.add', { type: 'staff', id: record.id }, { after: auditedStaff(record) });
  return record;
}
