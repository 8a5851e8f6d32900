/** The bits of configurable-http-proxy (untyped) the proxy benchmark uses. */
declare module 'configurable-http-proxy' {
  import type http from 'node:http';
  export class ConfigurableProxy {
    constructor(options: Record<string, unknown>);
    proxyServer: http.Server;
    addRoute(path: string, data: { target: string }): Promise<void>;
  }
}
