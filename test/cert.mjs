// A self-signed certificate for a test run, made with openssl: the engine
// suite's loopback HTTPS origins and the bench's server. Browsers are told to
// accept it; it lives for two days and never leaves the machine.
import { spawnSync } from 'node:child_process';

/**
 * Writes `key.pem` and `cert.pem` into `dir`, for `names` (subjectAltName DNS entries).
 * @param {string} dir
 * @param {string[]} names
 */
export function makeCert(dir, names) {
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      `${dir}/key.pem`,
      '-out',
      `${dir}/cert.pem`,
      '-subj',
      '/CN=utt test run',
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  if (r.status !== 0) throw new Error('openssl could not make the test certificate: run `apt-get install -y openssl`');
}
