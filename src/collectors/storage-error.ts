// One name per storage failure, whatever the browser calls it, so the dashboard can count them.

/**
 * The error class name of a Web Storage failure. Every quota variant becomes 'QuotaExceededError':
 * code 22 (DOMException QUOTA_EXCEEDED_ERR), code 1014 with name NS_ERROR_DOM_QUOTA_REACHED (old
 * Firefox), and the QuotaExceededError name itself (newer browsers throw a subclass of that name).
 * Access denied (blocked third-party storage, sandboxed iframes) is 'SecurityError' (code 18).
 */
export function storageErrorName(e: unknown): string {
  const err = e as { name?: unknown; code?: unknown } | null;
  const name = err && typeof err.name === 'string' ? err.name : '';
  const code = err && err.code;
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014)
    return 'QuotaExceededError';
  if (name === 'SecurityError' || code === 18) return 'SecurityError';
  return name.slice(0, 64) || 'Error';
}
