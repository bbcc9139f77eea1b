/**
 * Secrets removed from log text wherever they appear: in a message, an error's text or stack, any
 * string field. Every pattern is linear in its input (log text can be attacker-made: a URL, a header,
 * a claim): each starts only at a word boundary or a literal keyword, and no quantified group can
 * match the same text in two ways, so a failed attempt costs at most the run it started on.
 */

const MASK = '***';

/** Header names whose values are credentials, as `Name: value`, `name=value` or `"name": "value"`. */
const HEADER_VALUE =
  /\b(authorization|cookie|set-cookie|x-api-key)(["']?[ \t]*[:=][ \t]*["']?)((?:bearer|basic|digest|negotiate|token|dpop)[ \t]+)?[^\s"'][^\r\n"']*/gi;

/** `Bearer <token68>` anywhere, e.g. in a message quoting a header. Eight characters at least, so prose ("bearer token") stays. */
const BEARER = /\b(bearer)[ \t]+[A-Za-z0-9._~+/-]{8,}=*/gi;

/**
 * Anything shaped like a JWT: a base64url JSON header (`eyJ` is `{"`) and at least two more parts
 * (a JWS has three, a JWE five; an unsigned token's last part is empty), or three long base64url
 * runs joined by dots whatever the header.
 */
const JWT = /(?<![A-Za-z0-9_-])(?:eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2,}|[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g;

/**
 * The password in a URL's userinfo: `scheme://user:password@host`. As in the WHATWG URL parser the
 * userinfo ends at the last `@` before the authority ends (`/`, `?`, `#`), so an unencoded `@` in
 * the password does not leave its tail behind.
 */
const URL_PASSWORD = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#]*@/g;

/** Keys whose value is a secret: `password`, `PGPASSWORD`, `JwtSecret`, `access_token`, `x-api-key`, `pwd`, `jwt`. */
const KEY = String.raw`(?<![A-Za-z0-9_-])([A-Za-z0-9_-]*?(?:password|passwd|secret|token|api[_-]?key)|pwd|jwt)`;

/**
 * `key=value`: libpq keyword/value strings (`password=secret`, `password='with spaces'`), query
 * strings (`?token=...&layer=x`: an `&` ends the value only where a next `name=` follows), env and
 * TOML lines (`JwtSecret = "..."`).
 */
const KEY_EQUALS = new RegExp(
  KEY + String.raw`([ \t]*=[ \t]*)(?:'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^\s&]+(?:&(?![A-Za-z0-9_.-]+=)[^\s&]*)*)`,
  'gi',
);

/** `key: "value"` or `"key": 'value'`: JSON and util.inspect output. Only a quoted value, so prose ("token: expired") stays. */
const KEY_COLON = new RegExp(KEY + String.raw`(["']?[ \t]*:[ \t]*)(["'])(?:(?!\3)[^\\]|\\.)*\3?`, 'gi');

/** Removes credentials from one piece of log text; text without any is returned unchanged. */
export function redactSecrets(text: string): string {
  return text
    .replace(HEADER_VALUE, `$1$2$3${MASK}`)
    .replace(BEARER, `$1 ${MASK}`)
    .replace(KEY_EQUALS, `$1$2${MASK}`)
    .replace(KEY_COLON, `$1$2$3${MASK}$3`)
    .replace(URL_PASSWORD, `$1${MASK}@`)
    .replace(JWT, MASK);
}

/**
 * A cheap test that text may hold something redactSecrets removes: every pattern needs one of these
 * words, `://` or a JWT's shape, and none of them is changed by JSON string escaping, so a whole
 * serialized line can be tested before it is parsed.
 */
const MAY_HOLD_SECRET = /authorization|cookie|api[_-]?key|bearer|passw(?:or)?d|pwd|secret|token|jwt|:\/\/|eyJ/i;

const JWT_SHAPE = new RegExp(JWT.source);

export function mayHoldSecret(text: string): boolean {
  return MAY_HOLD_SECRET.test(text) || JWT_SHAPE.test(text);
}

/** Field names whose whole value is a secret, whatever it looks like (`{ token: 'abc' }`). */
const SECRET_KEY_NAME = /(?:password|passwd|pwd|secret|token|authorization|cookie|api[_-]?key|jwt)$/i;

export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_NAME.test(key);
}

export const REDACTED = MASK;
