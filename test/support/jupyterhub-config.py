# JupyterHub 3 configuration for Hubdeck's connector tests (test/support/jupyterhub-fixture.ts).
# Everything machine-specific comes from HUBDECK_JH_* environment variables set by the fixture.
import asyncio
import os

from jupyterhub.spawner import SimpleLocalProcessSpawner

c = get_config()  # noqa: F821 (injected by JupyterHub)
env = os.environ

c.JupyterHub.ip = '127.0.0.1'
c.JupyterHub.port = int(env['HUBDECK_JH_PORT'])
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = int(env['HUBDECK_JH_HUB_PORT'])
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:' + env['HUBDECK_JH_PROXY_API_PORT']
c.ConfigurableHTTPProxy.command = [env['HUBDECK_JH_PROXY_COMMAND']]
c.JupyterHub.db_url = 'sqlite:///' + os.path.join(env['HUBDECK_JH_DIR'], 'jupyterhub.sqlite')
c.JupyterHub.cookie_secret_file = os.path.join(env['HUBDECK_JH_DIR'], 'cookie_secret')
c.JupyterHub.pid_file = os.path.join(env['HUBDECK_JH_DIR'], 'jupyterhub.pid')
c.JupyterHub.authenticator_class = 'dummy'
c.Authenticator.allowed_users = {'alice', 'bob'}
c.Authenticator.admin_users = {'admin'}
c.JupyterHub.allow_named_servers = True
c.JupyterHub.named_server_limit_per_user = 3
# More pending spawns than this get 429 with a Retry-After of 30-60 s (not configurable in 3.0.0).
c.JupyterHub.concurrent_spawn_limit = int(env.get('HUBDECK_JH_SPAWN_LIMIT', '100'))
# A fixed admin token lets the fixture mint per-user tokens through the REST API.
c.JupyterHub.services = [{'name': 'hubdeck-test', 'api_token': env['HUBDECK_JH_ADMIN_TOKEN']}]
c.JupyterHub.load_roles = [{'name': 'hubdeck-test', 'scopes': ['admin:users', 'admin:servers', 'tokens'],
                            'services': ['hubdeck-test']}]


class TestSpawner(SimpleLocalProcessSpawner):
    """Local singleuser servers whose user_options steer the test: delay (s), fail (reason), slow_stop (s)."""

    def _opt(self, key, default=None):
        return (self.user_options or {}).get(key, default)

    async def start(self):
        delay = float(self._opt('delay', 0))
        if delay:
            await asyncio.sleep(delay)
        reason = self._opt('fail')
        if reason:
            raise RuntimeError(str(reason))
        return await super().start()

    async def stop(self, now=False):
        slow = float(self._opt('slow_stop', 0))
        if slow:
            await asyncio.sleep(slow)
        return await super().stop(now=now)

    async def progress(self):
        delay = float(self._opt('delay', 0))
        yield {'progress': 10, 'message': 'Test spawner: preparing'}
        if delay:
            await asyncio.sleep(delay / 2)
            yield {'progress': 50, 'message': 'Test spawner: halfway through a %gs delay' % delay}


c.JupyterHub.spawner_class = TestSpawner
c.Spawner.args = ['--allow-root']
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(env['HUBDECK_JH_DIR'], 'home-{username}')
c.Spawner.start_timeout = 30
c.Spawner.http_timeout = 30
