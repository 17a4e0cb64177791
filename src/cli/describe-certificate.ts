/** An X.509 certificate described for an auditor: names, validity, key, extensions, fingerprint. */
import { type ParsedCertificate, certificatePublicKey } from '../low-level.js';
import { errorNode } from './describe-values.js';
import { colonHex, type JsonValue, toHex } from './format.js';
import { oidLabel, oidName } from './oid-names.js';

type X509Name = ParsedCertificate['subject'];
type GeneralName = NonNullable<ParsedCertificate['subjectAltName']>['names'][number];

export function formatName(name: X509Name): string {
  return name.attributes.map((a) => `${a.name ?? a.type}=${a.value}`).join(', ');
}

function describeGeneralName(name: GeneralName): string {
  switch (name.type) {
    case 'directoryName':
      return `directoryName: ${formatName(name.name)}`;
    case 'iPAddress':
      return `iPAddress: ${toHex(name.value)}`;
    case 'otherName':
    case 'x400Address':
    case 'ediPartyName':
      return `${name.type}: ${toHex(name.der)}`;
    default:
      return `${name.type}: ${name.value}`;
  }
}

/** RSA keys have no curve to name; their size comes from the modulus. */
function rsaBits(cert: ParsedCertificate): number | undefined {
  try {
    const key = certificatePublicKey(cert, -257);
    if (key.kty !== 'RSA') return undefined;
    let start = 0;
    while (key.n[start] === 0) start++;
    return (key.n.length - start) * 8;
  } catch {
    return undefined;
  }
}

function describePublicKey(cert: ParsedCertificate): JsonValue {
  const { oid, curve } = cert.publicKeyAlgorithm;
  const out: Record<string, JsonValue> = { algorithm: oidLabel(oid) };
  if (curve !== undefined) out.curve = oidLabel(curve);
  if (oidName(oid) === 'rsaEncryption') {
    const bits = rsaBits(cert);
    if (bits !== undefined) out.size = `${bits} bits`;
  }
  return out;
}

export function describeCertificate(cert: ParsedCertificate, now: Date = new Date()): JsonValue {
  const out: Record<string, JsonValue> = {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    version: cert.version,
    serialNumber: cert.serialNumber,
    validity: {
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      now: now < cert.notBefore ? 'not yet valid' : now > cert.notAfter ? 'expired' : 'valid',
    },
    signatureAlgorithm: oidLabel(cert.signatureAlgorithm),
    publicKey: describePublicKey(cert),
  };
  if (cert.basicConstraints !== undefined) {
    out.basicConstraints = {
      ca: cert.basicConstraints.ca,
      ...(cert.basicConstraints.pathLenConstraint === undefined ? {} : { pathLen: cert.basicConstraints.pathLenConstraint }),
    };
  }
  if (cert.keyUsage !== undefined) out.keyUsage = [...cert.keyUsage];
  if (cert.extendedKeyUsage !== undefined) out.extendedKeyUsage = cert.extendedKeyUsage.map(oidLabel);
  if (cert.subjectAltName !== undefined) out.subjectAltName = cert.subjectAltName.names.map(describeGeneralName);
  out.extensions = cert.extensions.map((extension) => ({
    oid: extension.oid,
    name: oidName(extension.oid) ?? 'unknown',
    critical: extension.critical,
  }));
  out.selfIssued = cert.isSelfIssued;
  out.sha256Fingerprint = colonHex(cert.sha256Fingerprint);
  return out;
}

/** Parses with `parse` and describes, or shows the parse error in place. */
export function describeCertificateBytes(parse: () => ParsedCertificate, now?: Date): JsonValue {
  try {
    return describeCertificate(parse(), now);
  } catch (error) {
    return errorNode(error);
  }
}
