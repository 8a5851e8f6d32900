// The image's HEALTHCHECK: the hub answers its health route on 8585, over HTTP or (with --tls)
// HTTPS. The certificate is not checked: this is loopback inside the container, the hub's own.
const http = require('node:http');
const https = require('node:https');

const port = Number(process.env.HUBDECK_HEALTH_PORT || 8585);
const get = (mod) => new Promise((resolve) => {
  const req = mod.get({ host: '127.0.0.1', port, path: '/api/v1/health', rejectUnauthorized: false, timeout: 2000 }, (res) => {
    res.resume();
    resolve(res.statusCode === 200);
  });
  req.on('error', () => resolve(false));
  req.on('timeout', () => { req.destroy(); resolve(false); });
});

get(http).then((ok) => ok || get(https)).then((ok) => process.exit(ok ? 0 : 1));
