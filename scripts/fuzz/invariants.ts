/**
 * The invariants every fuzz input is judged by (docs/fuzzing.md):
 * (a) no accepted change of signed bytes — an accepted response whose clientDataJSON or
 *     authenticator data differ from the seed's, unless the library itself reported the
 *     attestation as `none` (nothing signs a `none` registration); and no acceptance of an input
 *     its mutator marks `mustReject`;
 * (b) every rejection is a WebAuthnError, never ERR_INTERNAL;
 * plus the trust contract: no `trusted: true` without trust anchors, none short of it with
 * `require: 'trusted'`. Timing (c) and memory (d) are measured by the campaign runner.
 */
import { decodeItem, mapGet } from './cbor-tree.js';
import type { Seed } from './corpus.js';
import { memberBytes, type Mutated } from './mutators/types.js';
import type { Verdict } from './verdict.js';

/** The invariants an input can break (docs/fuzzing.md "Invariants"). */
export type ViolationKind = 'foreign-exception' | 'err-internal' | 'accepted-signed-change' | 'accepted-must-reject' | 'trust-claim';

/** One broken invariant and what was observed. */
export interface Violation {
  readonly kind: ViolationKind;
  readonly detail: string;
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a !== undefined && b !== undefined && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

function authDataOf(response: Record<string, unknown>): Uint8Array | undefined {
  try {
    const [tree] = decodeItem(memberBytes(response, 'attestationObject'));
    const authData = mapGet(tree, 'authData');
    return authData?.kind === 'bytes' ? authData.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a fido-u2f statement signs of authData (§8.6 step 5): rpIdHash, the credential id and the
 * key's x and y — not the flags, counter, AAGUID, extensions, or how the COSE key is encoded.
 */
function u2fSignedView(authData: Uint8Array | undefined): string | undefined {
  if (authData === undefined || authData.length < 55) return undefined;
  const idLength = (authData[53]! << 8) | authData[54]!;
  try {
    const [key] = decodeItem(authData, 55 + idLength);
    if (key.kind !== 'map') return undefined;
    const coordinate = (label: bigint) => {
      const entry = key.entries.find(([k]) => k.kind === 'nint' && k.value === label);
      return entry?.[1].kind === 'bytes' ? Buffer.from(entry[1].value).toString('hex') : '?';
    };
    const hex = (from: number, to: number) => Buffer.from(authData.subarray(from, to)).toString('hex');
    return `${hex(0, 32)}|${hex(55, 55 + idLength)}|${coordinate(1n)}|${coordinate(2n)}`;
  } catch {
    return undefined;
  }
}

/** Which signed parts of an accepted response differ from the seed's (empty when none). */
export function changedSignedParts(seed: Seed, response: Record<string, unknown>, verdict: Verdict): string[] {
  if (!verdict.accepted) return [];
  if (seed.ceremony === 'registration' && verdict.attestation?.type === 'none') return [];
  const changed: string[] = [];
  if (!same(memberBytes(response, 'clientDataJSON'), seed.clientDataJSON)) changed.push('clientDataJSON');
  const authData = seed.ceremony === 'authentication' ? memberBytes(response, 'authenticatorData') : authDataOf(response);
  if (verdict.attestation?.format === 'fido-u2f') {
    const before = u2fSignedView(seed.authData);
    if (before === undefined || before !== u2fSignedView(authData)) changed.push('authenticatorData (rpIdHash, credential id or key)');
  } else if (!same(authData, seed.authData)) changed.push('authenticatorData');
  return changed;
}

/** The invariants (a), (b) and the trust contract for one input. */
export function judge(seed: Seed, mutated: Mutated, verdict: Verdict): Violation[] {
  const out: Violation[] = [];
  if (!verdict.accepted) {
    if (verdict.code?.startsWith('FOREIGN:')) out.push({ kind: 'foreign-exception', detail: `${verdict.code}: ${verdict.message}` });
    else if (verdict.code === 'ERR_INTERNAL') out.push({ kind: 'err-internal', detail: verdict.message ?? '' });
    return out;
  }
  const changed = changedSignedParts(seed, mutated.response, verdict);
  if (changed.length > 0) out.push({ kind: 'accepted-signed-change', detail: `accepted with changed ${changed.join(', ')}` });
  if (mutated.mustReject && (mutated.defect === true || seed.baseline?.accepted === true)) {
    out.push({ kind: 'accepted-must-reject', detail: `accepted ${mutated.variant}` });
  }
  const anchors = seed.vector.trustAnchors.length;
  const trusted = verdict.attestation?.trusted;
  if (anchors === 0 && trusted === true) out.push({ kind: 'trust-claim', detail: 'trusted without anchors' });
  const require = seed.vector.expected.attestationRequire ?? (anchors > 0 ? 'trusted' : 'valid');
  if (seed.ceremony === 'registration' && require === 'trusted' && trusted !== true) {
    out.push({ kind: 'trust-claim', detail: "accepted short of trusted under require: 'trusted'" });
  }
  return out;
}
