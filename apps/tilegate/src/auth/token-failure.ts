/**
 * Why a token was refused, in our words: the library's messages can echo the expected audience
 * or parts of the token, and neither belongs in a response.
 */
export function describeTokenFailure(info: unknown): string {
  const error = info as { name?: string; message?: string } | undefined;
  const message = error?.message ?? '';
  if (error?.name === 'TokenExpiredError') return 'the token has expired';
  if (error?.name === 'NotBeforeError') return 'the token is not valid yet';
  if (message.includes('audience')) return 'the token is for another audience';
  if (message.includes('issuer')) return 'the token is from another issuer';
  if (message === 'invalid signature') return 'the token signature does not verify';
  if (message.includes('algorithm') || message.includes('signature is required')) return 'the token algorithm is not accepted';
  return 'the token is malformed';
}
