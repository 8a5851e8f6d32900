"""Debian bookworm's ssh-audit (2.5.0) with the one entry its database lacks from newer releases.

kex-strict-s-v00@openssh.com is not an algorithm but OpenSSH's marker for strict key exchange, the
counter-measure to the Terrapin attack (CVE-2023-48795, December 2023). ssh-audit 2.5.0 predates
it and reports it as an unknown algorithm (exit status 3) even against Debian's own sshd; ssh-audit
3.1 and later list it as information. This adds it as information, as they do, and runs ssh-audit
unchanged otherwise: same arguments, same output, same exit status.
"""
import sys

from ssh_audit import exitcodes
from ssh_audit.ssh2_kexdb import SSH2_KexDB
from ssh_audit.ssh_audit import main

SSH2_KexDB.ALGORITHMS['kex'].setdefault('kex-strict-s-v00@openssh.com', [[]])
sys.argv[0] = 'ssh-audit'
try:
    code = main()
except SystemExit as e:
    code = e.code
except Exception:  # as /usr/bin/ssh-audit does
    code = exitcodes.UNKNOWN_ERROR
sys.exit(code)
