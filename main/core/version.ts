/** The one version constant: the CLI, `hub info` and the API report it. */
export const HUBDECK_VERSION = '0.1.0';
