// One cold start, in a fresh Node process (started by bench/budgets.ts): the first import of a
// library and its first verification of an ES256 assertion, timed from before the import.
// Plain JavaScript on purpose: no tsx (or any loader) in the measured process.
// Usage: node bench/cold-start-child.mjs ours|simplewebauthn <credential.json>
import { readFileSync } from 'node:fs';

const [contender, file] = process.argv.slice(2);
const c = JSON.parse(readFileSync(file, 'utf8'));

const start = performance.now();
let verified;
let imported;
if (contender === 'ours') {
  const { verifyAuthenticationResponse } = await import('webauthn-verify');
  imported = performance.now();
  const result = await verifyAuthenticationResponse(
    c.response,
    { id: c.id, publicKey: c.publicKey, algorithm: c.algorithm, signCount: 0 },
    { challenge: c.challenge, origin: c.origin, rpId: c.rpId },
  );
  verified = result.counter === 'increased';
} else if (contender === 'simplewebauthn') {
  const { verifyAuthenticationResponse } = await import('@simplewebauthn/server');
  imported = performance.now();
  const result = await verifyAuthenticationResponse({
    response: c.response,
    expectedChallenge: c.challenge,
    expectedOrigin: c.origin,
    expectedRPID: c.rpId,
    credential: { id: c.id, publicKey: new Uint8Array(Buffer.from(c.publicKey, 'base64url')), counter: 0 },
    requireUserVerification: false,
  });
  verified = result.verified;
} else {
  throw new Error(`unknown contender ${contender}`);
}
const end = performance.now();
if (verified !== true) throw new Error(`${contender}: the assertion did not verify`);
process.stdout.write(JSON.stringify({ importMs: imported - start, verifyMs: end - imported, totalMs: end - start }));
