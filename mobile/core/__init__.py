"""Everything the tablet app does that is not drawing widgets. No Kivy here.

What the UI calls:

* ``store.Store.open()`` – the local database (one per app run);
* ``account`` – ``login``, ``set_pin``, ``unlock``, ``logout``, ``wipe``;
* ``records.Inspections`` – start an inspection, results, evidence, hazards,
  signatures, ``summary``, ``finish``, ``reopen``;
* ``outbox.Outbox`` – upload states for the UI (``counts``, ``entries``, ``retry``);
* ``sync.SyncEngine`` – ``run()`` on a worker thread, with progress callbacks;
* ``evidence`` – the photo pipeline (used by ``Inspections.add_attachment``).

The protocol is in ``docs/sync.md``.
"""
