import { errors } from 'jose';

/**
 * Why a token was refused, in our words: which check failed, never the token or the expected
 * values (a library's message can echo the audience or issuer it wanted).
 */
export function describeTokenFailure(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'aud':
        return 'the token is for another audience';
      case 'iss':
        return 'the token is from another issuer';
      case 'nbf':
        return 'the token is not valid yet';
      case 'iat':
        return 'the token was issued in the future';
      default:
        return `the token's ${err.claim.replace(/[^A-Za-z0-9_]/g, '')} claim is not valid`;
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'the token algorithm is not accepted';
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return 'the token was signed with an unknown key';
  return 'the token is malformed';
}
