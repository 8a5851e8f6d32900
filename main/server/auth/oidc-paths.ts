/** The OpenID Connect sign-in paths and cookie, apart from the client so the server loads it only with --auth oidc. */
export const OIDC_START_PATH = '/hub/login/oidc';
export const OIDC_CALLBACK_PATH = '/hub/login/oidc/callback';
export const FLOW_COOKIE = 'hubdeck-oidc';
