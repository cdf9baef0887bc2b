"""IGNY8 (seeds 002, 003) as its frontend calls Flowline: base `/api`, paths `/v1/...` with
their trailing slash, `Authorization: Bearer <access>`. One row per endpoint line of 003
(in its order, then 002's extra routes), with the example bodies and the keys it documents
where it documents them: the rows by module in `*_rows.py`, the world they run in in
`conftest.py`."""
