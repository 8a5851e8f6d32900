import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRouteInterfaces, parseDefaultRoutes } from '../../../main/platform/default-route';

const TABLE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
`;

describe('the default route', () => {
  it('names the interfaces of default routes, lowest metric first, each once', () => {
    expect(parseDefaultRoutes(TABLE)).toEqual(['eth0', 'wlan0']);
    expect(parseDefaultRoutes('Iface\tDestination\n')).toEqual([]);
  });

  it('reads the route file, and answers nothing where there is none (macOS, Windows)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-'));
    fs.writeFileSync(path.join(dir, 'route'), TABLE);
    expect(defaultRouteInterfaces(path.join(dir, 'route'))).toEqual(['eth0', 'wlan0']);
    expect(defaultRouteInterfaces(path.join(dir, 'missing'))).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
