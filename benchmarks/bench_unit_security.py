"""How exposed the kiosk's systemd unit is: `systemd-analyze security` on the unit that
`main.py kiosk service` writes.

    .venv/bin/python benchmarks/bench_unit_security.py

Prints the overall exposure (target: 4.9 or less, "OK"; the unit without its sandbox was
9.4 "UNSAFE") and what is still open, with the reason each stays (cage and SMTP need it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.service import UNIT_NAME, ServiceSpec, unit_text  # noqa: E402

WHY_OPEN = {
    "PrivateNetwork=": "the reader sends feedback over SMTP",
    "RestrictAddressFamilies=~AF_(INET|INET6)": "the reader sends feedback over SMTP",
    "IPAddressDeny=": "the mail server may be any address a host name resolves to",
    "PrivateDevices=": "cage shows the screen and reads the touch screen (seatd opens them)",
    "DeviceAllow=": "the tty, DRM and input devices cage uses; the sound card (read aloud)",
    "NotifyAccess=": "the reader, cage's child, sends READY and WATCHDOG",
    "PrivateUsers=": "seatd's socket is for the video group, which a user namespace hides",
    "MemoryDenyWriteExecute=": "Mesa's llvmpipe compiles shaders when there is no GPU",
    "RestrictAddressFamilies=~AF_NETLINK": "cage follows devices through udev",
    "RestrictAddressFamilies=~AF_UNIX": "Wayland, seatd and sd_notify are Unix sockets",
    "SupplementaryGroups=": "video: seatd lets that group use the seat; audio: the sound card",
    "ProtectHome=": "read-only: the kiosk user's reader.toml lives there",
    "SystemCallFilter=~@resources": "Qt and Mesa set thread priorities and memory policy",
    "RootDirectory=/RootImage=": "the reader runs from the host's /opt or its checkout",
    "ProcSubset=": "Qt and Mesa read /proc/cpuinfo and /proc/meminfo",
}


def main() -> int:
    if not shutil.which("systemd-analyze"):
        print("systemd-analyze is missing: apt-get install systemd")
        return 1
    spec = ServiceSpec(command=("/opt/ketamine-faq-reader/ketamine-faq-reader", "--kiosk"),
                       data_dir="/home/kiosk/.local/share/ketamine-faq-reader")
    with tempfile.TemporaryDirectory() as folder:
        unit = Path(folder) / UNIT_NAME
        unit.write_text(unit_text(spec))
        result = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                                 str(unit)], capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    score = next((line for line in lines if "Overall exposure level" in line), "")
    print("still open:")
    for line in lines:
        if line.startswith("✗"):
            name = line[1:].split()[0]
            exposure = line.split()[-1]
            print(f"  {name:45} {exposure:>4}  {WHY_OPEN.get(name, '')}")
    print(score.replace("→ ", "").strip() or result.stderr)
    value = float(score.split(":")[1].split()[0]) if score else 10.0
    print(f"target: 4.9 or less; {'met' if value <= 4.9 else 'NOT met'}")
    return 0 if value <= 4.9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
