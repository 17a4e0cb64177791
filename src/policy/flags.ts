/** Flag policy: user presence, user verification and backup eligibility (§7.1 15–19, §7.2 16–19). */
import { fail } from '../errors.js';
import type { AuthenticatorFlags, UserVerificationRequirement } from '../types.js';

/** §7.1 step 15 / §7.2 step 16: the UP flag must be set. */
export function checkUserPresent(flags: AuthenticatorFlags, step: string): void {
  if (!flags.up) fail('ERR_USER_PRESENCE', 'The authenticator did not test user presence (UP flag clear)', { step });
}

/**
 * §7.1 step 16 / §7.2 step 17: when the relying party requires user verification, UV must be set.
 * The requirement comes from the relying party's own policy, never from client-echoed options.
 */
export function checkUserVerified(
  flags: AuthenticatorFlags,
  requirement: UserVerificationRequirement,
  step: string,
): void {
  if (requirement === 'required' && !flags.uv) {
    fail('ERR_USER_VERIFICATION', 'User verification was required but the authenticator did not verify the user', {
      step,
    });
  }
}

/** §7.2 step 19: BE must not differ from the backupEligible of the record (when the record knows it). */
export function checkBackupEligibilityUnchanged(
  flags: AuthenticatorFlags,
  backupEligible: boolean | undefined,
  step: string,
): void {
  if (backupEligible !== undefined && flags.be !== backupEligible) {
    fail(
      'ERR_BACKUP_ELIGIBILITY_CHANGED',
      `The backup eligibility of the credential changed (registered ${backupEligible}, now ${flags.be})`,
      { step, details: { field: 'flags.be', expected: backupEligible, received: flags.be } },
    );
  }
}
