"""Debian's python3-paramiko and python3-asyncssh as scripted SSH clients for the gateway's tests.

Usage: ssh-py-clients.py paramiko|asyncssh PORT USER KEYFILE KNOWN_HOSTS HOSTKEYALG COMMAND
Connects to 127.0.0.1:PORT offering only the host key algorithm HOSTKEYALG, checks the host key
against KNOWN_HOSTS (strictly), runs COMMAND and prints "<host key type> <exit status>" and then
the command's output. Exits 2 with the library's error when the connection fails.
"""
import asyncio
import sys
import warnings

warnings.simplefilter('ignore')
lib, port, user, keyfile, known, alg, command = sys.argv[1:8]
port = int(port)
ALL_HOST_KEYS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
                 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss']


def with_paramiko():
    import paramiko
    client = paramiko.SSHClient()
    client.load_host_keys(known)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect('127.0.0.1', port, username=user, key_filename=keyfile, look_for_keys=False, allow_agent=False,
                   disabled_algorithms={'keys': [a for a in ALL_HOST_KEYS if a != alg]}, timeout=30)
    key = client.get_transport().get_remote_server_key().get_name()
    _, out, _ = client.exec_command(command)
    text = out.read().decode()
    status = out.channel.recv_exit_status()
    client.close()
    return key, status, text


async def with_asyncssh():
    import asyncssh
    async with asyncssh.connect('127.0.0.1', port, username=user, client_keys=[keyfile], known_hosts=known,
                                server_host_key_algs=[alg], agent_path=None) as conn:
        key = conn.get_server_host_key().get_algorithm()
        r = await conn.run(command)
        return key, r.exit_status, r.stdout


try:
    key, status, text = with_paramiko() if lib == 'paramiko' else asyncio.run(with_asyncssh())
except Exception as e:  # the test reads the reason
    print(f'{type(e).__name__}: {e}', file=sys.stderr)
    sys.exit(2)
print(key, status)
sys.stdout.write(text)
