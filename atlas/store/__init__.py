"""Scenarios on disk (or in PostgreSQL), with an audit trail and optimistic concurrency.

SQLAlchemy Core only, so any database with a SQLAlchemy URL works unchanged: by default a SQLite
file outside the repository (`ATLAS_DB`, default ~/.local/share/atlas-ha-tang/atlas.db), or
any URL in `ATLAS_DB_URL` (e.g. postgresql+psycopg://…).

Why it is built this way:
* Several planners may edit the same scenario from different browsers. A save names the
  version it was based on; a save from a stale copy is refused (`StaleScenarioError`) and the
  other person's save stays exactly as it was. Nothing is merged silently.
* A save is one transaction: scenario row, edits and audit entries are all written or none.
* Every change is recorded in `audit_log` (who, when, commune, field, old → new), because a
  plan figure someone changed must be traceable to a person and a date.
* The schema is versioned (`schema_version`) and upgraded by ordered migration functions, so
  a database made by an older version of the app is upgraded in place on first use. Each step
  is one transaction, DDL included (on SQLite too, see `make_engine`): a step that fails
  leaves the database at the version before it, and the next start tries again.
* Names are unique per pack ignoring case, accents and spacing (`name_key`, the same fold as
  `atlas.scenarios.check_name`), enforced by a unique index so that two people creating the
  same name at the same moment on PostgreSQL cannot both succeed.
* Times are stored in UTC and shown in Vietnam's time (UTC+7, labelled so; `shown_time`):
  every user is in Vietnam, and "saved at 01:30 UTC" would read as the middle of the night.

One module per reason to change: `location` (which database, checked before opening),
`errors` (bilingual refusals), `schema` (tables and migrations), `engine` (connections and
write transactions), `clock` (UTC in, Vietnam time out), `codec` (values as text), and the
store itself (`core`) with its three halves `views_repo`, `scenarios_repo` and `csv_repo`.
This package re-exports what the rest of the app uses.
"""

from atlas.store.clock import _aware, _utcnow, shown_time
from atlas.store.codec import decode_value, value_type
from atlas.store.core import Store, open_store, store_exists
from atlas.store.engine import WRITE, make_engine, write_transaction
from atlas.store.errors import (
    DatabaseUnavailable,
    ScenarioNotFoundError,
    SchemaTooNewError,
    StaleScenarioError,
    StoreError,
)
from atlas.store.location import (
    SQLITE_HEADER,
    check_database,
    database_location,
    default_db_path,
    default_url,
)
from atlas.store.scenarios_repo import AuditEntry
from atlas.store.schema import (
    MIGRATION_WHO,
    MIGRATIONS,
    NAME_KEY_INDEX,
    SCHEMA_VERSION,
    Migration,
    audit_t,
    current_schema_version,
    edits_t,
    metadata,
    migrate,
    scenarios_t,
    schema_version,
    views_t,
)

__all__ = [
    "MIGRATIONS", "MIGRATION_WHO", "NAME_KEY_INDEX", "SCHEMA_VERSION", "SQLITE_HEADER", "WRITE",
    "AuditEntry", "DatabaseUnavailable", "Migration", "SchemaTooNewError",
    "ScenarioNotFoundError", "StaleScenarioError", "Store", "StoreError", "_aware", "_utcnow",
    "audit_t", "check_database", "current_schema_version", "database_location",
    "decode_value", "default_db_path", "default_url", "edits_t", "make_engine", "metadata",
    "migrate", "open_store", "scenarios_t", "schema_version", "shown_time", "store_exists",
    "value_type", "views_t", "write_transaction",
]  # fmt: skip
