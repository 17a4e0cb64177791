/**
 * Entry for Cloudflare Workers (workerd, no nodejs_compat): the suite runs inside a fetch handler,
 * where WebCrypto key generation is allowed, and the report is the JSON response body.
 */
import { runSuite } from './suite.js';

export default {
  async fetch() {
    try {
      return Response.json(await runSuite('workerd'));
    } catch (error) {
      return new Response(`${error?.name}: ${error?.message}\n${error?.stack ?? ''}`, { status: 500 });
    }
  },
};
