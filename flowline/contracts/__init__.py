"""Seed frontends' contracts (issue 13): each seed's documented paths, bodies and shapes as a
table of aliases and shape adapters over Flowline's own views. Never a second API.

- `declare`: `Contract` and `Route`, what a table row says.
- `adapters`: the shape adapters a row may name (requests and responses, and what each
  does to the OpenAPI schema).
- `build`: turns the tables into URL patterns: one view subclass per aliased view.
- `schema`: spectacular hooks, so the schema shows each seed's paths as they answer.
- `syncflow`, `sellflow`, `igny8`, `elinara`: the tables.
"""
