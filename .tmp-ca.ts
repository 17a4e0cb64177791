import { createTestCa, issueCertificate, testKey, TEST_NOW, issueCrl } from './test/helpers/test-ca.js';
import { parseCertificate, parseTrustAnchors, validateCertificatePath, certificatePublicKey, checkPackedAttestationCertificate } from './src/x509/index.js';
const t0 = performance.now();
const ca = await createTestCa({ leaf: { aaguid: new Uint8Array(16).fill(7) } });
console.log('ca ms', performance.now() - t0);
const chain = ca.x5c.map((d) => parseCertificate(d));
const anchors = ca.trustAnchors.map((d) => parseCertificate(d));
console.log(await validateCertificatePath({ chain, trustAnchors: anchors, now: TEST_NOW }).then(r => r.trusted));
console.log(checkPackedAttestationCertificate(chain[0]!, new Uint8Array(16).fill(7)));
for (const t of ['P-384', 'P-521', 'Ed25519', 'Ed448', 'RSA-2048'] as const) {
  const c = await issueCertificate({ issuer: ca.intermediate, subject: { CN: t }, key: t });
  const p = parseCertificate(c.der);
  const alg = { 'P-384': -35, 'P-521': -36, Ed25519: -8, Ed448: -53, 'RSA-2048': -257 }[t];
  console.log(t, certificatePublicKey(p, alg).kty, await validateCertificatePath({ chain: [p, chain[1]!], trustAnchors: anchors, now: TEST_NOW }).then(r => r.trusted));
}
const rsa = await createTestCa({ name: 'R', rootKey: 'RSA-2048', intermediateKey: 'P-384' });
console.log('rsa', await validateCertificatePath({ chain: rsa.x5c.map(d=>parseCertificate(d)), trustAnchors: parseTrustAnchors([rsa.root.pem]), now: TEST_NOW }).then(r => r.trusted));
const crl = await issueCrl({ issuer: ca.intermediate, revoked: [{ serialNumber: ca.leaf.serialNumber }] });
await validateCertificatePath({ chain, trustAnchors: anchors, now: TEST_NOW, revocation: { crls: [crl], mode: 'if-available' } }).catch(e => console.log(e.code));
