"""``python -m mobile`` (``make app``): the tablet app on a desktop."""

import sys

from mobile.app import main

sys.exit(main())
