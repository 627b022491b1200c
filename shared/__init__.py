"""Code imported by both the server and the tablet app.

Nothing in this package may import Flask, Kivy or requests: it must run (and be
tested) with no display, no network and no web framework.
"""
