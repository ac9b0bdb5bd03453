"""Where the things under test are: the repository, the `ashlink` binary, the built .deb."""

import glob
import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
SUPPORT = REPOSITORY / "Tests" / "Support"
PACKAGING = REPOSITORY / "packaging"
BINARY = os.environ.get("ASHLINK_BINARY", str(REPOSITORY / ".build" / "debug" / "ashlink"))


def find_deb():
    """ASHLINK_DEB if set, else the newest dist/ashlink_*_*.deb, else None."""
    explicit = os.environ.get("ASHLINK_DEB")
    if explicit:
        return Path(explicit)
    candidates = sorted(glob.glob(str(REPOSITORY / "dist" / "ashlink_*_*.deb")), key=os.path.getmtime)
    return Path(candidates[-1]) if candidates else None
