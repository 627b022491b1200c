"""Sync API: pull and dispatch (records and blobs have their own packages)."""
