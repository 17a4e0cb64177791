import { readFileSync, readdirSync } from 'node:fs';
import { Decoder } from 'cbor-x';
import { parseCertificate, parseTrustAnchors, validateCertificatePath, certificatePublicKey } from './src/x509/index.js';
const dir = '/work/shared/interop/vectors/';
const dec = new Decoder({ mapsAsObjects: false, useRecords: false });
for (const f of readdirSync('/work/shared/interop/roots').filter(f=>f.endsWith('.pem'))) {
  const [c] = parseTrustAnchors([readFileSync('/work/shared/interop/roots/'+f,'utf8')]);
  console.log(f, c!.version, c!.basicConstraints, c!.keyUsage, c!.publicKeyAlgorithm.curve, c!.isSelfIssued, c!.notAfter.toISOString());
}
for (const f of readdirSync(dir)) {
  const v = JSON.parse(readFileSync(dir + f, 'utf8'));
  if (v.ceremony !== 'registration') continue;
  let ao; try { ao = dec.decode(Buffer.from(v.response.response.attestationObject, 'base64url')); } catch { continue; }
  const st = ao.get('attStmt'); if (!(st instanceof Map) || !st.get('x5c')) continue;
  try {
    const chain = st.get('x5c').map((d: Uint8Array) => parseCertificate(new Uint8Array(d)));
    const anchors = parseTrustAnchors(v.trustAnchors);
    const r = await validateCertificatePath({ chain, trustAnchors: anchors, now: new Date(v.verificationTime) });
    let key = ''; try { key = certificatePublicKey(chain[0], st.get('alg')).kty } catch (e: any) { key = e.code; }
    console.log(f, v.outcome, r.trusted, (r as any).reason ?? '', (r as any).path?.length ?? '', key, chain[0].subjectAltName?.directoryNames.map((n:any)=>n.attributes.map((a:any)=>a.name+'='+a.value).join(',')) ?? '');
  } catch (e: any) { console.log(f, 'ERR', e.code, e.message); }
}
