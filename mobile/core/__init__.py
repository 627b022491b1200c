"""Everything the tablet app does that is not drawing widgets. No Kivy here.

What the UI calls (one ``Store`` per app run, shared by all threads):

* ``store.Store.open()`` – the local database in the private data directory;
  ``packages()``, ``package(visit_id)``, ``session()``;
* ``account`` – ``login``, ``set_pin``, ``unlock``, ``logout``,
  ``transport_for``, ``wipe(force=False)``;
* ``records.Inspections`` – ``overview``, ``start``, ``set_result``,
  ``set_note``, ``add_attachment``, ``add_hazard`` (with ``Order``),
  ``add_signature``, ``summary``, ``finish``, ``reopen``, ``view``, ``trail``;
* ``outbox.Outbox`` – upload states (``counts``, ``entries``, ``retry``,
  ``seconds_until_due``);
* ``sync.SyncEngine`` – ``run()`` / ``run_in_background()`` with progress
  callbacks (called on the worker thread), ``stop()``;
* ``housekeeping.purge_sent`` – free space, only for server-confirmed records.

Errors carry a plain-Chinese ``message`` (``errors.CoreError``). The protocol
is in ``docs/sync.md``.
"""
