/**
 * Registration next to its own limit (issue 15): for packed x5c (leaf + intermediate → anchor),
 * tpm and android-key, the minimum crypto work a verifier cannot skip, timed raw with node:crypto
 * in the same process, against ours on the same response.
 *
 * The minimum, per registration (every scenario: x5c = [leaf, intermediate], one root anchor):
 *   hashes      SHA-256(clientDataJSON); SHA-256(rpId) for the rpIdHash comparison; tpm also
 *               hashes authData ‖ clientDataHash (certInfo.extraData) and pubArea (its name);
 *   key imports the leaf's, the intermediate's and the anchor's SPKI;
 *   signatures  the attestation signature (tpm: over certInfo, else over authData ‖ clientDataHash),
 *               the leaf's certificate signature (intermediate key), the intermediate's (anchor key).
 * Not counted: parsing (CBOR, DER, X.509), the credential key (no signature uses it at
 * registration), revocation and metadata. Ours runs with every cache emptied before each call
 * (parsed certificates, verified certificate signatures, keys), so it does all of that work again.
 */
import { createHash, createPublicKey, constants, verify as nodeVerify } from 'node:crypto';
import { SettingsService, verifyRegistrationResponse as simpleVerifyRegistration } from '@simplewebauthn/server';
import { verifyRegistrationResponse } from 'webauthn-verify';
import { clearKeyCache } from 'webauthn-verify/low-level';
import { createAndroidKeyRegistration } from '../test/helpers/synthetic-android-apple.js';
import { createRegistration, type SyntheticRegistration } from '../test/helpers/synthetic-registration.js';
import { createTpmRegistration } from '../test/helpers/synthetic-tpm.js';
// The same module instance as the package's (dist/), reached by path: not a public export.
import { clearX509Caches } from '../dist/x509/index.js';
import type { Contender } from './harness.js';

interface Tlv {
  readonly tag: number;
  /** Offset of the first content byte, and one past the last. */
  readonly start: number;
  readonly end: number;
  /** Offset of the tag byte. */
  readonly at: number;
}

function tlv(bytes: Uint8Array, at: number): Tlv {
  const tag = bytes[at] as number;
  let length = bytes[at + 1] as number;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] as number);
    start += count;
  }
  return { tag, start, end: start + length, at };
}

function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]!.end) out.push(tlv(bytes, at));
  return out;
}

const SIGNATURE_OIDS: Readonly<Record<string, { digest: string; rsa: boolean }>> = {
  '2a8648ce3d040302': { digest: 'sha256', rsa: false },
  '2a8648ce3d040303': { digest: 'sha384', rsa: false },
  '2a8648ce3d040304': { digest: 'sha512', rsa: false },
  '2a864886f70d01010b': { digest: 'sha256', rsa: true },
  '2a864886f70d01010c': { digest: 'sha384', rsa: true },
  '2a864886f70d01010d': { digest: 'sha512', rsa: true },
};

/** What verifying one certificate's signature needs: the signed bytes, the signature, its algorithm. */
interface CertificateParts {
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
  readonly digest: string;
  readonly rsa: boolean;
  readonly spki: Uint8Array;
}

function certificateParts(der: Uint8Array): CertificateParts {
  const [tbsTlv, algTlv, sigTlv] = children(der, tlv(der, 0)) as [Tlv, Tlv, Tlv];
  const tbsFields = children(der, tbsTlv);
  const spkiTlv = tbsFields[tbsFields[0]!.tag === 0xa0 ? 6 : 5]!;
  const oidTlv = children(der, algTlv)[0]!;
  const oid = Buffer.from(der.subarray(oidTlv.start, oidTlv.end)).toString('hex');
  const algorithm = SIGNATURE_OIDS[oid];
  if (algorithm === undefined) throw new Error(`bench: certificate signature OID ${oid} not mapped`);
  return {
    tbs: der.subarray(tbsTlv.at, tbsTlv.end),
    signature: der.subarray(sigTlv.start + 1, sigTlv.end),
    spki: der.subarray(spkiTlv.at, spkiTlv.end),
    ...algorithm,
  };
}

const importSpki = (spki: Uint8Array) => createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.length), format: 'der', type: 'spki' });
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** One registration scenario: ours (caches emptied), its limit, and the work the limit counts. */
export interface RegistrationScenario {
  readonly label: string;
  /** Ours with every cache emptied before each call. */
  readonly ours: Contender;
  /** Ours with the caches a server keeps (parsed anchors, certificates, verified signatures). */
  readonly oursCached: Contender;
  readonly limit: Contender;
  /** What the limit does, for the table. */
  readonly work: { readonly signatures: number; readonly keyImports: number; readonly hashes: number };
}

function scenario(
  label: string,
  registration: SyntheticRegistration,
  attestationDigest: string,
  rsa: boolean,
  tpmParts?: { readonly pubArea: Uint8Array; readonly certInfo: Uint8Array },
): RegistrationScenario {
  const tpm = tpmParts !== undefined;
  const expected = { ...registration.expected, attestation: { trustAnchors: registration.expected.attestation?.trustAnchors ?? [], require: 'trusted' as const } };
  const x5c = registration.attStmt.get('x5c') as Uint8Array[];
  const anchor = (expected.attestation.trustAnchors[0] as Uint8Array) ?? new Uint8Array(0);
  const chain = x5c.map(certificateParts);
  const anchorParts = certificateParts(anchor);
  const sig = registration.attStmt.get('sig') as Uint8Array;
  const certInfo = tpmParts?.certInfo;
  const pubArea = tpmParts?.pubArea;
  const { clientDataJSON, authenticatorData } = registration;
  const rpId = expected.rpId as string;
  const rsaOptions = (key: ReturnType<typeof importSpki>) => ({ key, padding: constants.RSA_PKCS1_PADDING });

  const limit = (): boolean => {
    const clientDataHash = sha256(clientDataJSON);
    sha256(rpId);
    const signedByAuthenticator = Buffer.concat([authenticatorData, clientDataHash]);
    if (tpm) {
      createHash(attestationDigest).update(signedByAuthenticator).digest();
      sha256(pubArea as Uint8Array);
    }
    const leafKey = importSpki(chain[0]!.spki);
    let ok = nodeVerify(attestationDigest, tpm ? (certInfo as Uint8Array) : signedByAuthenticator, rsa ? rsaOptions(leafKey) : leafKey, sig);
    for (let i = 0; i < chain.length; i++) {
      const issuer = importSpki((chain[i + 1] ?? anchorParts).spki);
      const cert = chain[i]!;
      ok = nodeVerify(cert.digest, cert.tbs, cert.rsa ? rsaOptions(issuer) : issuer, cert.signature) && ok;
    }
    return ok;
  };
  const ours = () => {
    clearX509Caches();
    clearKeyCache();
    return verifyRegistrationResponse(registration.response, expected);
  };
  return {
    label,
    ours: { fn: ours },
    oursCached: { fn: () => verifyRegistrationResponse(registration.response, expected) },
    limit: { fn: limit },
    work: { signatures: 1 + chain.length, keyImports: 1 + chain.length, hashes: tpm ? 4 : 2 },
  };
}

/** Builds the three scenarios and checks that ours and the limit accept each. */
export async function registrationScenarios(): Promise<RegistrationScenario[]> {
  const packed = await createRegistration({ format: 'packed' });
  const tpm = await createTpmRegistration();
  const android = await createAndroidKeyRegistration();
  const list = [
    scenario('packed x5c ES256 (leaf + intermediate → anchor)', packed, 'sha256', false),
    scenario('tpm RS256 (AIK + intermediate → anchor)', tpm, 'sha256', true, tpm),
    scenario('android-key ES256 (leaf + intermediate → anchor)', android, 'sha256', false),
  ];
  for (const s of list) {
    const result = (await s.ours.fn()) as { attestation: { trusted: boolean } };
    if (!result.attestation.trusted || s.limit.fn() !== true) throw new Error(`bench: registration inputs (${s.label}) do not verify`);
  }
  return list;
}

/** packed x5c next to @simplewebauthn/server (its root given the same way), caches as a server keeps them. */
export async function packedVersusSimple(): Promise<{ ours: Contender; simple: Contender }> {
  const synthetic = await createRegistration({ format: 'packed' });
  const anchors = synthetic.expected.attestation?.trustAnchors ?? [];
  const expected = { ...synthetic.expected, attestation: { trustAnchors: anchors, require: 'trusted' as const } };
  const pem = anchors.map((der) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der as Uint8Array).toString('base64')}\n-----END CERTIFICATE-----\n`);
  SettingsService.setRootCertificates({ identifier: 'packed', certificates: pem });
  const ours = () => verifyRegistrationResponse(synthetic.response, expected);
  const simple = () =>
    simpleVerifyRegistration({
      response: synthetic.response as unknown as Parameters<typeof simpleVerifyRegistration>[0]['response'],
      expectedChallenge: synthetic.expected.challenge as string,
      expectedOrigin: synthetic.expected.origin as string,
      expectedRPID: synthetic.expected.rpId as string,
      requireUserVerification: false,
    });
  const [a, b] = [await ours(), await simple()];
  if (!b.verified || !a.attestation.trusted) throw new Error('bench: packed registration inputs do not verify');
  return { ours: { fn: ours }, simple: { fn: simple } };
}
