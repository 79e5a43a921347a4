# SPDX-License-Identifier: Apache-2.0
"""Turn kernel auditing on for a test, and put everything back after.

Without auditd the kernel prints audit records through printk_ratelimit()
(10 per 5 s by default) and drops the rest: the limit is lifted while
auditing is on here.  Needs root and auditctl (Debian package auditd).
"""
import os
import shutil
import subprocess

from tap import Skip

RATELIMIT = "/proc/sys/kernel/printk_ratelimit"


class Auditing:
    def __init__(self):
        if os.geteuid() != 0:
            raise Skip("needs root (auditctl, the kernel log)")
        if not shutil.which("auditctl"):
            raise Skip("auditctl is not installed (Debian package auditd)")
        status = subprocess.run(["auditctl", "-s"], capture_output=True,
                                text=True).stdout
        fields = dict(line.split(" ", 1) for line in status.splitlines() if " " in line)
        self.was_enabled = fields.get("enabled", "0").strip()
        self.daemon = fields.get("pid", "0").strip() != "0"
        with open(RATELIMIT) as f:
            self.ratelimit = f.read().strip()
        with open(RATELIMIT, "w") as f:
            f.write("0")
        subprocess.run(["auditctl", "-e", "1"], check=True, capture_output=True)

    def close(self):
        subprocess.run(["auditctl", "-e", self.was_enabled], capture_output=True)
        with open(RATELIMIT, "w") as f:
            f.write(self.ratelimit)
