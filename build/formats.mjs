// The `format` keywords a registry identifier may use, as regular expressions.
// One definition serves the build (ajv, to check each `example`) and the
// runtime (the compiled registry carries the same source strings).

/** RFC 1123 host name: labels of 1-63 letters, digits and inner hyphens; 253 characters at most. */
const hostname =
  '^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$';

/** RFC 9562 UUID in its canonical 8-4-4-4-12 hexadecimal form (no urn:uuid: prefix). */
const uuid = '^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$';

export const formats = { hostname, uuid };
