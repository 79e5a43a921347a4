# SPDX-License-Identifier: Apache-2.0
"""Turn kernel auditing on for a test, and put everything back after.

Without auditd the kernel prints audit records through printk_ratelimit()
(kernel.printk_ratelimit seconds, kernel.printk_ratelimit_burst records)
and drops the rest: the limit is lifted while auditing is on here, or set
to what a test asks for (a suppressed log), as is audit's own rate limit
(records lost).  Every setting changed is read first and written back by
close(), also when the test failed; audit's count of lost records is
reset when it was 0.  The tests
that change these kernel-wide settings take a lock, one after the other.
Needs root and auditctl (Debian package auditd).
"""
import fcntl
import os
import shutil
import subprocess
import time

from tap import Skip

RATELIMIT = "/proc/sys/kernel/printk_ratelimit"
BURST = "/proc/sys/kernel/printk_ratelimit_burst"
LOCK = "/run/lock/oci-landlock-tests-audit.lock"


def _read(path):
    with open(path) as f:
        return f.read().strip()


def _write(path, value):
    with open(path, "w") as f:
        f.write(value)


class Auditing:
    def __init__(self, ratelimit="0", burst=None, audit_rate=None):
        if os.geteuid() != 0:
            raise Skip("needs root (auditctl, the kernel log)")
        if not shutil.which("auditctl"):
            raise Skip("auditctl is not installed (Debian package auditd)")
        self.lock = open(LOCK, "a")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        self.saved = {}
        try:
            status = subprocess.run(["auditctl", "-s"], capture_output=True,
                                    text=True).stdout
            fields = dict(line.split(" ", 1) for line in status.splitlines() if " " in line)
            self.was_enabled = fields.get("enabled", "0").strip()
            self.daemon = fields.get("pid", "0").strip() != "0"
            self.fields = {k: v.strip() for k, v in fields.items()}
            if audit_rate is not None:
                # audit's own rate limit loses records and counts them.
                self.audit_rate = self.fields["rate_limit"]
                subprocess.run(["auditctl", "-r", audit_rate], check=True,
                               capture_output=True)
            self.set(RATELIMIT, ratelimit)
            if burst is not None:
                self.set(BURST, burst)
            subprocess.run(["auditctl", "-e", "1"], check=True, capture_output=True)
        except BaseException:
            self.close()
            raise

    def set(self, path, value):
        self.saved.setdefault(path, _read(path))
        _write(path, value)

    def close(self):
        if self.lock is None:
            return
        if hasattr(self, "audit_rate"):
            subprocess.run(["auditctl", "-r", self.audit_rate], capture_output=True)
        # A burst of records overflows audit's backlog without auditd, and
        # its rate limit loses some: the "lost" count goes back to 0 when it
        # was 0 (a count that was not cannot be set back, only reset).
        if getattr(self, "fields", {}).get("lost") == "0":
            subprocess.run(["auditctl", "--reset-lost"], capture_output=True)
        if hasattr(self, "was_enabled"):
            subprocess.run(["auditctl", "-e", self.was_enabled], capture_output=True)
        for path, value in self.saved.items():
            _write(path, value)
        self.lock.close()
        self.lock = None


class KernelLog(Auditing):
    """New kernel log records from now on, read from /dev/kmsg (or from
    auditd's log when auditd runs and takes the records)."""

    def __init__(self):
        super().__init__()
        self.path = "/var/log/audit/audit.log" if self.daemon else "/dev/kmsg"
        self.fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)
        self.seen = ""

    def _read(self):
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError as e:  # EPIPE: records were overwritten
                if e.errno != 32:
                    raise
                continue
            if not chunk:
                return
            self.seen += chunk.decode(errors="replace")

    def denial_of(self, path, wait):
        """The type 1423 record for path, waiting up to `wait` seconds."""
        deadline = time.time() + wait
        while True:
            self._read()
            for line in self.seen.splitlines():
                if f'path="{path}"' in line and "type=1423" in line:
                    return line
            if time.time() >= deadline:
                return None
            time.sleep(0.05)

    def close(self):
        os.close(self.fd)
        super().close()
