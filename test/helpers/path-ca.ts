/**
 * Certificate sets for path-building tests, on top of test-ca.ts: two roots with one cross-signed
 * by the other (the GlobalSign R3 → R46 shape of the FIDO MDS BLOB in 2026), key identifiers, a
 * rotated root (same name and key, new validity), and hostile x5c sets of many same-name CAs.
 */
import * as asn1js from 'asn1js';
import { issueCertificate, type NameInput, PACKED_SUBJECT, type RawExtension, type TestCertificate } from './test-ca.js';

const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';

/** A subjectKeyIdentifier extension (RFC 5280 §4.2.1.2) carrying `id`. */
export function subjectKeyIdentifier(id: Uint8Array): RawExtension {
  return { oid: OID_SUBJECT_KEY_IDENTIFIER, value: new Uint8Array(new asn1js.OctetString({ valueHex: id }).toBER()) };
}

/** An authorityKeyIdentifier extension (RFC 5280 §4.2.1.1) with keyIdentifier `id` only. */
export function authorityKeyIdentifier(id: Uint8Array): RawExtension {
  const keyIdentifier = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: id });
  return { oid: OID_AUTHORITY_KEY_IDENTIFIER, value: new Uint8Array(new asn1js.Sequence({ value: [keyIdentifier] }).toBER()) };
}

/** The leaf subject of these sets (the packed §8.2.1 profile). */
export function leafSubject(cn: string): NameInput {
  return { ...(PACKED_SUBJECT as Record<string, string>), CN: cn };
}

/** Root A (R3-like), root B (R46-like), B cross-signed by A, an intermediate under B, a leaf. */
export interface CrossSignedSet {
  readonly rootA: TestCertificate;
  readonly rootB: TestCertificate;
  /** B's name and key, issued by A. */
  readonly crossB: TestCertificate;
  readonly intermediate: TestCertificate;
  readonly leaf: TestCertificate;
}

/** Builds {@link CrossSignedSet}; `name` keeps names and keys of separate sets apart. */
export async function createCrossSignedSet(name = 'Cross'): Promise<CrossSignedSet> {
  const rootA = await issueCertificate({ subject: { C: 'BE', O: `${name} Trust`, CN: `${name} Root R3` } });
  const rootB = await issueCertificate({ subject: { C: 'BE', O: `${name} Trust`, CN: `${name} Root R46` } });
  const crossB = await issueCertificate({
    issuer: rootA,
    subject: { C: 'BE', O: `${name} Trust`, CN: `${name} Root R46` },
    key: rootB.key,
    basicConstraints: { ca: true },
  });
  const intermediate = await issueCertificate({
    issuer: rootB,
    subject: { C: 'BE', O: `${name} Trust`, CN: `${name} Issuing CA` },
    basicConstraints: { ca: true, pathLenConstraint: 0 },
  });
  const leaf = await issueCertificate({ issuer: intermediate, subject: leafSubject(`${name} Leaf`), basicConstraints: { ca: false } });
  return { rootA, rootB, crossB, intermediate, leaf };
}

/**
 * `count` CA certificates all named `<name> CA` and all claiming issuer `issuerName`; only the one
 * at `realIndex` (if any) is really signed by `realIssuer`, the others by unrelated keys. Returns
 * them with a leaf issued by the real one (or, without one, by an unrelated key of that name).
 */
export async function createSameNameCas(options: {
  readonly name: string;
  readonly count: number;
  readonly realIssuer: TestCertificate;
  /** The subject of `realIssuer`, which every one of them claims as issuer. */
  readonly issuerName: NameInput;
  readonly realIndex: number | undefined;
}): Promise<{ readonly cas: readonly TestCertificate[]; readonly leaf: TestCertificate }> {
  const subject = { C: 'ZZ', O: options.name, CN: `${options.name} CA` };
  const cas: TestCertificate[] = [];
  for (let i = 0; i < options.count; i++) {
    const real = i === options.realIndex;
    const signer = real ? options.realIssuer : await issueCertificate({ subject: { CN: `${options.name} forger ${i}` } });
    cas.push(
      await issueCertificate({
        issuer: signer,
        issuerName: options.issuerName,
        subject,
        keySeed: `${options.name} ca ${i}`,
        basicConstraints: { ca: true },
        serialNumber: i + 1,
      }),
    );
  }
  const issuer =
    options.realIndex === undefined
      ? await issueCertificate({ subject, keySeed: `${options.name} absent`, basicConstraints: { ca: true } })
      : (cas[options.realIndex] as TestCertificate);
  const leaf = await issueCertificate({ issuer, subject: leafSubject(`${options.name} Leaf`), basicConstraints: { ca: false } });
  return { cas, leaf };
}

/**
 * `count` self-issued CAs named `name CA` in a ring: CA i is signed by CA i+1's key, so every one
 * is a candidate issuer of every other and a real issuer of one; the leaf is issued by CA 0. No
 * anchor completes any path.
 */
export async function createSelfIssuedRing(name: string, count: number): Promise<{ readonly cas: readonly TestCertificate[]; readonly leaf: TestCertificate }> {
  const subject = { C: 'ZZ', O: name, CN: `${name} CA` };
  const keys = await Promise.all(
    Array.from({ length: count }, (_, i) => issueCertificate({ subject: { CN: `${name} key ${i}` }, keySeed: `${name} ring ${i}` })),
  );
  const cas: TestCertificate[] = [];
  for (let i = 0; i < count; i++) {
    cas.push(
      await issueCertificate({
        issuer: keys[(i + 1) % count] as TestCertificate,
        issuerName: subject,
        subject,
        key: (keys[i] as TestCertificate).key,
        basicConstraints: { ca: true },
        serialNumber: 100 + i,
      }),
    );
  }
  const leaf = await issueCertificate({
    issuer: keys[0] as TestCertificate,
    issuerName: subject,
    subject: leafSubject(`${name} Leaf`),
    basicConstraints: { ca: false },
  });
  return { cas, leaf };
}
