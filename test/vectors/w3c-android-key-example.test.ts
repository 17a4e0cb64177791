/**
 * The W3C spec's android-key example (WebAuthn L3 §16, "Android Key Attestation with ES256
 * Credential", w3c/webauthn index.bs #sctn-test-vectors-android-key-es256): synthetic,
 * HKDF-derived by the spec's generator (test-vectors/webauthn-test-vectors.py) from published seeds.
 *
 * It is not among the interop vectors (../shared/interop holds only its authentication half,
 * w3c-auth-android-key-es256). Its KeyDescription has EMPTY softwareEnforced and teeEnforced
 * authorization lists, so origin (KM_ORIGIN_GENERATED) and purpose (KM_PURPOSE_SIGN), which §8.4.1
 * requires, are missing: we reject it with ERR_ANDROID_KEY_DESCRIPTION_INVALID (field origin, step
 * 8.4) under both authorization scopes, after its signature, attestationChallenge and key checks
 * have passed. See docs/quirks.md "The W3C spec's android-key example".
 *
 * Facts, not generated here: the hex below is the published registration (attestationObject and
 * clientDataJSON) as transcribed from index.bs in go-webauthn/webauthn
 * protocol/attestation_androidkey_scope_wiring_test.go (androidKeyScopeWiringSpecVector), which
 * rejects it for the same reason. Its credential (id, COSE key) is the one of the interop vector
 * w3c-auth-android-key-es256 (index.bs commit 146d0db03cb88e69a8f6f0c3c168221abe73504b). An older
 * revision of index.bs encoded the KeyDescription enumerations as INTEGER (with another
 * signature); this is the current ENUMERATED form.
 */
import { describe, expect, it } from 'vitest';
import { verifyRegistrationResponse } from '../../src/ceremony/verify-registration.js';
import { parseAttestationObject } from '../../src/parse/attestation-object.js';
import type { RegistrationResponseJSON } from '../../src/types.js';
import { expectRejection } from '../helpers/expect-code.js';

const ATTESTATION_OBJECT_HEX = [
  'a363666d746b616e64726f69642d6b65796761747453746d74a363616c67266373696758483046022100e95512982aa3',
  'f216cff2e87c8ec57057b8529f674eaabeccaa27fd03d8779f19022100afb6bf459da4a826f00d01fc6b60712ff31dc4',
  'eb331619c8f874bb17e4314e94637835638159026e3082026a30820210a00302010202101ff91f76b63f44812f998b25',
  '0b0286bf300a06082a8648ce3d0403023062311e301c06035504030c15576562417574686e207465737420766563746f',
  '7273310c300a060355040a0c0357334331253023060355040b0c1c41757468656e74696361746f722041747465737461',
  '74696f6e204341310b30090603550406130241413020170d3234303130313030303030305a180f333032343031303130',
  '30303030305a305f311e301c06035504030c15576562417574686e207465737420766563746f7273310c300a06035504',
  '0a0c0357334331223020060355040b0c1941757468656e74696361746f72204174746573746174696f6e310b30090603',
  '550406130241413059301306072a8648ce3d020106082a8648ce3d0301070342000499169657036d089a2a9821a7d006',
  '3d341f1a4613389359636efab5f3cbf1accfdd91c55543176ea99b644406dd1dd63774b6af65ac759e06ff40b1c8ab02',
  'df6ba381a83081a5300c0603551d130101ff04023000300e0603551d0f0101ff040403020780301d0603551d0e041604',
  '141ac81e50641e8d1339ab9f7eb25f0cd5aac054b0301f0603551d2304183016801445aff715b0dd786741fee996ebc1',
  '6547a3931b1e3045060a2b06010401d679020111043730350202012c0a01000201000a01000420b435028d7b6a8f83bb',
  '461d41c19b053a9d3cdb30351a4f374cd4cde8dbefb606040030003000300a06082a8648ce3d04030203480030450220',
  '2d27f0ca39d2f519fc8f49c6d96dfc793059e211ff80516a50398cf1eac2a322022100d482a88c740f64cf6a98ccc6c8',
  'b9f5e1e533fa5e509f0a7b4c3a02f964a8eba768617574684461746158a4bfabc37432958b063360d3ad6461c9c4735a',
  'e7f8edd46592a5e0f01452b2e4b55d00000000ade9705e1ce7085b899a540d02199bf800200a4729519788b6ed8a2d77',
  '2b494e186244d8c798c052960dbc8c10c915176795a501020326200121582099169657036d089a2a9821a7d0063d341f',
  '1a4613389359636efab5f3cbf1accf225820dd91c55543176ea99b644406dd1dd63774b6af65ac759e06ff40b1c8ab02',
  'df6b',
].join('');

const CLIENT_DATA_JSON_HEX = [
  '7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a2250654877747a5a647a',
  '4e345f384d76795869625f7037725f682d385162494438686c334541746d57414641222c226f726967696e223a226874',
  '7470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c226578747261446174',
  '61223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e',
  '616c206669656c647320696e20746865206675747572652c207375636820617320746869733a20565631635175523271',
  '4c4d5f616d50666f487a4c3067227d',
].join('');

/** The credential id and challenge of the example (hex, as published). */
const CREDENTIAL_ID_HEX = '0a4729519788b6ed8a2d772b494e186244d8c798c052960dbc8c10c915176795';
const CHALLENGE_HEX = '3de1f0b7365dccde3ff0cbf25e26ffa7baff87ef106c80fc865dc402d9960050';
/** credential.publicKey of the interop vector w3c-auth-android-key-es256 (the same credential). */
const AUTH_VECTOR_PUBLIC_KEY = 'pQECAyYgASFYIJkWllcDbQiaKpghp9AGPTQfGkYTOJNZY276tfPL8azPIlgg3ZHFVUMXbqmbZEQG3R3WN3S2r2WsdZ4G_0CxyKsC32s';

const b64u = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

function response(): RegistrationResponseJSON {
  const id = b64u(CREDENTIAL_ID_HEX);
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: { clientDataJSON: b64u(CLIENT_DATA_JSON_HEX), attestationObject: b64u(ATTESTATION_OBJECT_HEX) },
    clientExtensionResults: {},
  } as RegistrationResponseJSON;
}

const expected = { challenge: b64u(CHALLENGE_HEX), origin: 'https://example.org', rpId: 'example.org' };

describe('the W3C spec android-key example (§16, index.bs #sctn-test-vectors-android-key-es256)', () => {
  it('is the registration of the credential of w3c-auth-android-key-es256', () => {
    const object = parseAttestationObject(new Uint8Array(Buffer.from(ATTESTATION_OBJECT_HEX, 'hex')));
    expect(object.fmt).toBe('android-key');
    const attested = object.authData.attestedCredentialData;
    expect(Buffer.from(attested?.credentialId ?? []).toString('hex')).toBe(CREDENTIAL_ID_HEX);
    expect(Buffer.from(attested?.credentialPublicKey ?? []).toString('base64url')).toBe(AUTH_VECTOR_PUBLIC_KEY);
  });

  it('is rejected: empty authorization lists lack origin (§8.4.1) — ERR_ANDROID_KEY_DESCRIPTION_INVALID', async () => {
    const error = await expectRejection(verifyRegistrationResponse(response(), expected), 'ERR_ANDROID_KEY_DESCRIPTION_INVALID', '8.4');
    expect(error.details?.field).toBe('origin');
  });

  it('is rejected under the union scope too (softwareEnforced is empty as well)', async () => {
    const error = await expectRejection(
      verifyRegistrationResponse(response(), { ...expected, attestation: { androidKey: 'union' } }),
      'ERR_ANDROID_KEY_DESCRIPTION_INVALID',
      '8.4',
    );
    expect(error.details?.field).toBe('origin');
  });

  it('everything before the key description holds: with require "none" it registers', async () => {
    const result = await verifyRegistrationResponse(response(), { ...expected, attestation: { require: 'none' } });
    expect(result.credential.publicKey).toBe(AUTH_VECTOR_PUBLIC_KEY);
  });
});
