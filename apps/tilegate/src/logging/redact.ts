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

export function mayHoldSecret(text: string): boolean {
  // A JWT with `eyJ` is found by MAY_HOLD_SECRET; the other form JWT matches is three long runs.
  return MAY_HOLD_SECRET.test(text) || hasThreeDottedRuns(text);
}

/** `[A-Za-z0-9_-]`: base64url's alphabet. */
function isBase64Url(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x2d;
}

/**
 * Whether `text` has three runs of ten or more base64url characters joined by single dots, as
 * JWT's second alternative asks: one pass, no regular expression. Every log line is tested (the
 * access log writes one a request), and JWT's lookbehind, tried at every position, was 3 % of a
 * cache hit's CPU; redact.spec.ts checks this against the expression itself.
 */
export function hasThreeDottedRuns(text: string): boolean {
  let run = 0; // base64url characters just before this one
  let joined = 0; // long runs before it, each ended by one dot, in a chain up to here
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isBase64Url(code)) {
      run++;
      if (joined >= 2 && run >= 10) return true;
      continue;
    }
    joined = code === 0x2e && run >= 10 ? joined + 1 : 0;
    run = 0;
  }
  return false;
}

/** Field names whose whole value is a secret, whatever it looks like (`{ token: 'abc' }`). */
const SECRET_KEY_NAME = /(?:password|passwd|pwd|secret|token|authorization|cookie|api[_-]?key|jwt)$/i;

export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_NAME.test(key);
}

export const REDACTED = MASK;
