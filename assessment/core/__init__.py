"""Core: instruments and their schema, reading a responses file, the scoring rules.

Everything else builds on this room, and it imports from no other room: ``config``
(paths), ``exceptions``, ``i18n`` (Dutch and English texts), ``text`` (normalising),
``instruments`` (the YAML schema), ``ingest`` (file → accepted and rejected rows),
``scoring`` (answers → per-respondent means → scores and stages, once), ``files``
(atomic writes, workbooks) and ``template`` (the fill-in file).
"""
