"""The baseline: a raw ASGI app (no framework) doing Flowline's queries on the same tables.

    FLOWLINE_VAR_DIR=/tmp/x .venv/bin/uvicorn benchmarks.raw_asgi:app --no-access-log

GET /api/v1/auth/sites/?page_size=25  the page of 25 sites (same columns, order, count)
GET /api/v1/auth/me/                  the membership, the user's accounts and their sites

It reads the account and user ids from `bench.json` (written by seed.py) instead of
verifying the token: no auth, no tenancy, no middleware, one connection opened at
start-up and queried straight from the event loop. That is the ceiling Flowline is
measured against; the JSON is encoded with orjson, like Flowline's renderer does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs

import orjson

VAR_DIR = Path(os.environ.get("FLOWLINE_VAR_DIR", "var"))
BENCH = json.loads((VAR_DIR / "bench.json").read_text())
ACCOUNT_ID, USER_ID = BENCH["account_id"], BENCH["user_id"]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

if DATABASE_URL.startswith(("postgres://", "postgresql://")):
    import psycopg

    _conn = psycopg.connect(DATABASE_URL, autocommit=True)
    P = "%s"

    def query(sql: str, params: tuple) -> list[tuple]:
        with _conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

else:
    import sqlite3

    _conn = sqlite3.connect(VAR_DIR / "flowline.sqlite3", check_same_thread=False)
    P = "?"

    def query(sql: str, params: tuple) -> list[tuple]:
        return _conn.execute(sql, params).fetchall()


def _iso(value) -> str:
    # PostgreSQL gives datetimes, SQLite the stored text; both leave as ISO 8601.
    return value if isinstance(value, str) else value.isoformat().replace("+00:00", "Z")


SITE_COLUMNS = (
    "id, name, slug, url, description, logo, voice, industry_id, status, wp_url, "
    "wp_username, wp_app_password, created_at, updated_at"
)


def sites_page(query_string: bytes) -> dict:
    params = parse_qs(query_string.decode())
    size = min(int(params.get("page_size", ["10"])[0]), 100)
    page = int(params.get("page", ["1"])[0])
    (count,) = query(f"SELECT COUNT(*) FROM sites_site WHERE account_id = {P}", (ACCOUNT_ID,))[0]
    rows = query(
        f"SELECT {SITE_COLUMNS} FROM sites_site WHERE account_id = {P} "
        f"ORDER BY id DESC LIMIT {P} OFFSET {P}",
        (ACCOUNT_ID, size, (page - 1) * size),
    )
    base = f"http://127.0.0.1/api/v1/auth/sites/?page_size={size}"
    return {
        "success": True,
        "count": count,
        "next": f"{base}&page={page + 1}" if page * size < count else None,
        "previous": f"{base}&page={page - 1}" if page > 1 else None,
        "results": [_site(r) for r in rows],
    }


def _site(r: tuple) -> dict:
    return {
        "id": r[0],
        "name": r[1],
        "slug": r[2],
        "url": r[3],
        "description": r[4],
        "logo": r[5] or None,
        "voice": r[6],
        "industry": r[7],
        "status": r[8],
        "wp_url": r[9],
        "wp_username": r[10],
        "wp_app_password_set": bool(r[11]),
        "created_at": _iso(r[12]),
        "updated_at": _iso(r[13]),
    }


def site_detail(site_id: int) -> dict | None:
    rows = query(
        f"SELECT {SITE_COLUMNS} FROM sites_site WHERE account_id = {P} AND id = {P}",
        (ACCOUNT_ID, site_id),
    )
    return {"success": True, "data": _site(rows[0]), "message": None} if rows else None


def me() -> dict:
    user = query(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.email_verified, u.avatar, u.theme, "
        "u.onboarding_state, u.is_staff, m.role FROM identity_membership m "
        f"JOIN identity_user u ON u.id = m.user_id WHERE m.user_id = {P} AND m.account_id = {P} "
        "AND m.is_active AND u.is_active",
        (USER_ID, ACCOUNT_ID),
    )[0]
    memberships = query(
        "SELECT m.account_id, a.name, m.role, a.status, a.billing_email, a.timezone, a.language, "
        "a.owner_id, a.created_at FROM identity_membership m JOIN identity_account a "
        f"ON a.id = m.account_id WHERE m.user_id = {P} AND m.is_active ORDER BY m.id",
        (USER_ID,),
    )
    active = next(row for row in memberships if row[0] == ACCOUNT_ID)
    sites = query(
        f"SELECT id, name, slug, url, status FROM sites_site WHERE account_id = {P} ORDER BY id",
        (ACCOUNT_ID,),
    )
    onboarding = user[7]
    return {
        "success": True,
        "data": {
            "id": user[0],
            "email": user[1],
            "first_name": user[2],
            "last_name": user[3],
            "email_verified": bool(user[4]),
            "avatar": user[5] or None,
            "theme": user[6],
            "onboarding_state": json.loads(onboarding)
            if isinstance(onboarding, str)
            else onboarding,
            "is_staff": bool(user[8]),
            "role": user[9],
            "account": {
                "id": active[0],
                "name": active[1],
                "status": active[3],
                "billing_email": active[4],
                "timezone": active[5],
                "language": active[6],
                "owner": active[7],
                "created_at": _iso(active[8]),
            },
            "accounts": [{"id": r[0], "name": r[1], "role": r[2]} for r in memberships],
            "accessible_sites": [
                {"id": r[0], "name": r[1], "slug": r[2], "url": r[3], "status": r[4]} for r in sites
            ],
        },
        "message": None,
    }


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    path = scope["path"]
    if path == "/api/v1/auth/sites/":
        status, body = 200, orjson.dumps(sites_page(scope["query_string"]))
    elif path == "/api/v1/auth/me/":
        status, body = 200, orjson.dumps(me())
    elif path.startswith("/api/v1/auth/sites/") and path[19:-1].isdigit():
        data = site_detail(int(path[19:-1]))
        status, body = (200, orjson.dumps(data)) if data else (404, b'{"success":false}')
    else:
        status, body = 404, b'{"success":false}'
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
