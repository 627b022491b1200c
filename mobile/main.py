"""Entry point for python-for-android/buildozer, which runs a ``main.py``."""

import sys

from mobile.app import main

if __name__ == "__main__":
    sys.exit(main())
