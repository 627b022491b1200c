"""Device features behind small facades, each with a desktop/CI fallback.

Android specifics (plyer, ``android`` module) are imported lazily inside the
functions, so importing this package never needs a device, a display or Kivy.
"""

import os


def on_android() -> bool:
    """True inside the python-for-android app (it sets ``ANDROID_ARGUMENT``)."""
    return "ANDROID_ARGUMENT" in os.environ
