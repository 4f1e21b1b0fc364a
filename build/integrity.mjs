// An `integrity` value that can never match makes its partner always fail
// to load: checked at build time, per algorithm.
// https://w3c.github.io/webappsec-subresource-integrity/#the-integrity-attribute

/** Bytes of digest per SRI hash algorithm. */
const DIGEST_BYTES = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * Why an `integrity` value can never match any script ('' when each hash is
 * well formed): a digest must be base64 of exactly its algorithm's length.
 * @param {string} integrity
 */
export function badIntegrity(integrity) {
  for (const token of integrity.split(/\s+/).filter(Boolean)) {
    const [algorithm, digest = ''] = token.split('-');
    const bytes = DIGEST_BYTES[algorithm];
    const decoded = Buffer.from(digest, 'base64');
    if (decoded.length !== bytes || decoded.toString('base64') !== digest)
      return `"${token}" is not a ${algorithm} digest: it must be ${Math.ceil(bytes / 3) * 4} base64 characters (${bytes} bytes), as \`openssl dgst -${algorithm} -binary FILE | openssl base64 -A\` prints it`;
  }
  return '';
}
