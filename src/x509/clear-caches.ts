/** One switch for every cache of the X.509 layer. */
import { clearParsedCertificateCache } from './certificate.js';
import { clearTrustAnchorCache } from './pem.js';
import { clearSignatureCache } from './signature.js';

/**
 * Empties the X.509 caches: parsed certificates (by fingerprint), parsed trust anchors (by input)
 * and verified issuer → subject signatures. Results never depend on them; only cost does.
 */
export function clearX509Caches(): void {
  clearParsedCertificateCache();
  clearTrustAnchorCache();
  clearSignatureCache();
}
