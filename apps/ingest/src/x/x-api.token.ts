/** Injection token of the XApiClient (from @desk/channels) the poller uses. */
export const X_API = Symbol('X_API');
