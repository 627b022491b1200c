"""Android entry point: python-for-android runs ``main.py`` at the root of
``source.dir`` (the repository root, so that ``mobile/`` and ``shared/`` are
both packaged). On the desktop use ``make app``."""

import sys

from mobile.app import main

if __name__ == "__main__":
    sys.exit(main())
