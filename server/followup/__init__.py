"""Following through: everything the council decides or is asked, followed until done.

One package for the domain, as ``packs/`` and ``ballot/`` are; the HTTP routes stay thin in
``server/routes/followup*.py`` and the tables in ``server/models/followup*.py``.

Pure rules (no database, no HTTP): ``states`` (the words), ``lifecycle`` (the one life
cycle), ``deadlines`` (due dates in Asia/Ho_Chi_Minh), ``labels`` (words by kind).
Services (in the caller's transaction, audited): ``items`` (tracked items, complaints,
attachments), ``bodies`` (resolutions, supervisions, voter meetings, petition groups),
``commitments`` (from a sitting's log), ``indicators`` (the plan's targets), ``reports``
(half-year and annual reviews), ``notices`` (the notice to a sender), ``reminders``
(deadline reminders by e-mail), ``demo`` (the demo's year of follow-up).
Shapes: ``schemas`` (requests and responses of the follow-up API).
"""
