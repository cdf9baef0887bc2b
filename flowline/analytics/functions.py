"""The UTC day, week and month of a stored time, computed natively by the database.

Django's TruncDate/TruncWeek/TruncMonth run, on SQLite, a Python function per row to
apply the time zone: over a million events that is most of a report's time. Times are
stored in UTC and analytics days are UTC days, so SQLite's own date() does the same on
the stored text, and PostgreSQL converts to UTC and truncates.
"""

from django.db.models import DateField, Func


class _UTCTrunc(Func):
    output_field = DateField()
    sqlite_template: str
    postgres_template: str

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.sqlite_template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.postgres_template, **extra_context)


class UTCDay(_UTCTrunc):
    sqlite_template = "date(%(expressions)s)"
    postgres_template = "(%(expressions)s AT TIME ZONE 'UTC')::date"


class UTCWeek(_UTCTrunc):
    """The Monday of the ISO week."""

    # 'weekday 0' moves to the next Sunday (or stays on one); six days back is Monday.
    sqlite_template = "date(%(expressions)s, 'weekday 0', '-6 days')"
    postgres_template = "date_trunc('week', %(expressions)s AT TIME ZONE 'UTC')::date"


class UTCMonth(_UTCTrunc):
    sqlite_template = "date(%(expressions)s, 'start of month')"
    postgres_template = "date_trunc('month', %(expressions)s AT TIME ZONE 'UTC')::date"
