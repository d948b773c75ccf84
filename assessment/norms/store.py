"""The norm store: anonymous aggregate records in DuckDB (embedded) or PostgreSQL (shared).

``open_store(target)`` opens a store and brings its schema up to date: a ``target`` of the
form ``postgresql://…`` is a PostgreSQL database (through psycopg 3), anything else a DuckDB
file (created when missing; default :func:`default_target`, in the user's data folder). Both
hold the same tables and give the same results:

* ``schema_version``: the schema's version; :data:`MIGRATIONS` are applied in order on open,
  so a store made by an older version keeps working (in PostgreSQL under an advisory lock,
  so that two processes opening a new database do not both create it);
* ``meta``: the store's id, where its salt is (organisation names are stored as a salted hash
  of the name), a check value of the salt, and a generation counter that changes with every
  change of the records;
* ``records``: one row per organisation × wave × instrument (:data:`~assessment.norms.records.
  RECORD_COLUMNS`); ``scores``: their aggregate rows.

:meth:`NormStore.store` is idempotent: a record whose identity (organisation, wave, instrument
and version) is stored already is left alone when its rows' fingerprint is the same and
replaced when it differs. In PostgreSQL every store holds an advisory lock for its
transaction, so concurrent ``assess store`` runs into one database never lose a record.

The salt is kept out of the store by default: in ``$ASSESS_NORMS_SALT`` or in a key file in
the user's config folder (:func:`key_file`), so that someone who can read the database cannot
test names against the hashes. The store holds only a check value, to tell a wrong salt from
a missing one. A single user's DuckDB file may keep its salt inside (``salt_in_store``), and
stores made before schema 3 keep theirs there until :meth:`NormStore.move_salt` moves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.core.exceptions import AssessmentError
from assessment.norms.records import RECORD_COLUMNS, SCORE_COLUMNS, Records, typed

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "NormStore",
    "StoreResult",
    "config_folder",
    "default_target",
    "describe_target",
    "key_file",
    "is_postgresql",
    "open_store",
]

#: the schema, one tuple of statements per version (portable between DuckDB and PostgreSQL)
MIGRATIONS: tuple[tuple[str | dict[str, str], ...], ...] = (
    # 1: the first schema
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE records (record_id TEXT PRIMARY KEY, organisation TEXT NOT NULL,"
        " named BOOLEAN NOT NULL, wave TEXT NOT NULL, instrument TEXT NOT NULL,"
        " instrument_version TEXT NOT NULL, rows_hash TEXT NOT NULL, stored_on TEXT NOT NULL,"
        " sector TEXT NOT NULL, size TEXT NOT NULL, respondents INTEGER NOT NULL,"
        " profile TEXT, leader TEXT)",
        "CREATE TABLE scores (record_id TEXT NOT NULL, level TEXT NOT NULL,"
        " interface TEXT NOT NULL, dimension TEXT NOT NULL, n INTEGER, score DOUBLE PRECISION,"
        " stage TEXT, sd DOUBLE PRECISION, ci_low DOUBLE PRECISION, ci_high DOUBLE PRECISION,"
        " rwg DOUBLE PRECISION, alpha DOUBLE PRECISION, promoters INTEGER, passives INTEGER,"
        " detractors INTEGER, PRIMARY KEY (record_id, level, interface, dimension))",
    ),
    # 2: a label per record (a client's records can be forgotten by it) and the floor stage
    (
        "ALTER TABLE records ADD COLUMN label TEXT DEFAULT ''",
        "UPDATE records SET label = '' WHERE label IS NULL",
        "ALTER TABLE scores ADD COLUMN floor_stage TEXT",
    ),
    # 3: scores without a primary key. In DuckDB that key was an ART index over four text
    # columns: it made most of the file (35 MB of a 3,000-organisation store, 10 MB without)
    # and was rewritten at every checkpoint, so each `assess store` got slower as the store
    # grew. A score row is only ever written with its new record, in one transaction, so the
    # records' key keeps them unique. PostgreSQL gets a plain index to find a record's rows.
    (
        "CREATE TABLE scores_v3 (record_id TEXT NOT NULL, level TEXT NOT NULL,"
        " interface TEXT NOT NULL, dimension TEXT NOT NULL, n INTEGER, score DOUBLE PRECISION,"
        " stage TEXT, floor_stage TEXT, sd DOUBLE PRECISION, ci_low DOUBLE PRECISION,"
        " ci_high DOUBLE PRECISION, rwg DOUBLE PRECISION, alpha DOUBLE PRECISION,"
        " promoters INTEGER, passives INTEGER, detractors INTEGER)",
        "INSERT INTO scores_v3 (record_id, level, interface, dimension, n, score, stage,"
        " floor_stage, sd, ci_low, ci_high, rwg, alpha, promoters, passives, detractors)"
        " SELECT record_id, level, interface, dimension, n, score, stage, floor_stage, sd,"
        " ci_low, ci_high, rwg, alpha, promoters, passives, detractors FROM scores",
        "DROP TABLE scores",
        "ALTER TABLE scores_v3 RENAME TO scores",
        {"postgresql": "CREATE INDEX scores_record ON scores (record_id)"},
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
_LOCK = 7_215_015  # PostgreSQL advisory lock of this store's migrations and writes
_ENV = "ASSESS_NORMS"
_SALT_ENV = "ASSESS_NORMS_SALT"
_MIN_SALT = 16  # characters of a salt given in $ASSESS_NORMS_SALT
_HEAD = ["organisation", "wave", "instrument", "instrument_version", "sector", "size", "label",
         "stored_on", "named"]


def default_target() -> str:
    r"""Return the default store: ``$ASSESS_NORMS``, else ``norms.duckdb`` in the data folder.

    The data folder is ``$XDG_DATA_HOME/assessment`` (``~/.local/share/assessment``), or
    ``%LOCALAPPDATA%\\assessment`` on Windows.
    """
    if os.environ.get(_ENV):
        return os.environ[_ENV]
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):  # pragma: no cover
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(base / "assessment" / "norms.duckdb")


def config_folder() -> Path:
    r"""Return the user's config folder of this program.

    ``$XDG_CONFIG_HOME/assessment`` (``~/.config/assessment``), or ``%APPDATA%\\assessment``
    on Windows.
    """
    if sys.platform == "win32" and os.environ.get("APPDATA"):  # pragma: no cover
        return Path(os.environ["APPDATA"]) / "assessment"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "assessment"


def key_file(store_id: str) -> Path:
    """Return the key file that holds the salt of the store with this id."""
    return config_folder() / "norms-keys" / f"{store_id}.key"


def salt_check(salt: str) -> str:
    """Return the check value of a salt that a store keeps to recognise it.

    Examples
    --------
    >>> salt_check("a" * 32) == salt_check("a" * 32), salt_check("a" * 32) == salt_check("b")
    (True, False)
    """
    return hashlib.sha256(f"assessment norm store salt\x00{salt}".encode()).hexdigest()[:16]


def _write_key(path: Path, salt: str) -> None:
    """Write a key file readable by its owner only (folder 0700, file 0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(salt + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _env_salt() -> str:
    salt = os.environ.get(_SALT_ENV, "").strip()
    if salt and len(salt) < _MIN_SALT:
        raise AssessmentError(f"${_SALT_ENV} is too short to be a salt: give at least "
                              f"{_MIN_SALT} random characters (for example the line of a key "
                              "file, or the output of `python -c \"import secrets; "
                              "print(secrets.token_hex(16))\"`)")
    return salt


def is_postgresql(target: str) -> bool:
    """Return whether ``target`` names a PostgreSQL database (a ``postgresql://`` URL).

    Examples
    --------
    >>> is_postgresql("postgresql://db.example/norms"), is_postgresql("norms.duckdb")
    (True, False)
    """
    return str(target).startswith(("postgresql://", "postgres://"))


def describe_target(target: str) -> str:
    """Return ``target`` fit to print: a URL without its password.

    Examples
    --------
    >>> describe_target("postgresql://ann:secret@db/norms")
    'postgresql://ann:***@db/norms'
    """
    if not is_postgresql(target):
        return str(target)
    head, sep, rest = str(target).partition("://")
    if "@" in rest.split("/", 1)[0]:
        cred, host = rest.split("@", 1)
        if ":" in cred:
            rest = f"{cred.split(':', 1)[0]}:***@{host}"
    return head + sep + rest


@dataclass(frozen=True)
class StoreResult:
    """What one :meth:`NormStore.store` did, in records (organisation × wave × instrument)."""

    new: int
    replaced: int
    unchanged: int
    key_file: str = ""
    advice: str = ""


def _py(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """Return a frame's rows as tuples of Python values, None for missing (for COPY)."""
    plain = frame.astype(object).where(frame.notna(), None)  # numpy scalars become Python's
    return list(plain.itertuples(index=False, name=None))


class _Duck:
    """DuckDB connection with the few operations the store needs."""

    backend = "duckdb"

    def __init__(self, path: str, read_only: bool) -> None:
        import duckdb

        file = Path(path).expanduser()
        if read_only and not file.exists():
            raise AssessmentError(f"{file}: no norm store there")
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(file), read_only=read_only)
        except duckdb.Error as exc:
            raise AssessmentError(f"{file}: cannot open the norm store: {exc}") from exc
        self.file = file

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        cur = self.con.execute(sql, list(params))
        try:
            return cur.fetchall()
        except Exception:  # noqa: BLE001 - statements without a result
            return []

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        return self.con.execute(sql, list(params)).df()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def lock(self) -> None:
        """One process writes a DuckDB file at a time: DuckDB's own file lock."""

    def stage(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def unstage(self, name: str) -> None:
        self.con.unregister(name)

    def rewrite(self) -> None:
        """Copy the database into a new file that replaces this one (freed pages stay behind)."""
        fresh = self.file.with_name(f".{self.file.name}.rewrite")
        fresh.unlink(missing_ok=True)
        name = self.con.execute("SELECT current_database()").fetchall()[0][0]
        quoted = str(fresh).replace("'", "''")
        self.con.execute(f"ATTACH '{quoted}' AS fresh_copy")
        self.con.execute(f'COPY FROM DATABASE "{name}" TO fresh_copy')
        self.con.execute("DETACH fresh_copy")
        self.con.close()
        os.replace(fresh, self.file)
        import duckdb

        self.con = duckdb.connect(str(self.file))

    def size_bytes(self) -> int:
        self.con.execute("CHECKPOINT")
        return sum(p.stat().st_size for p in (self.file, Path(f"{self.file}.wal")) if p.exists())

    def close(self) -> None:
        self.con.close()


class _Postgres:
    """PostgreSQL connection (psycopg 3) with the same operations as :class:`_Duck`."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise AssessmentError(
                f"{describe_target(url)}: cannot connect to the norm store: {exc}"
            ) from exc

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.con.cursor() as cur:
            cur.execute(self._sql(sql), [_py(p) for p in params])
            return cur.fetchall() if cur.description else []

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        with self.con.cursor() as cur:
            cur.execute(self._sql(sql), [_py(p) for p in params])
            return pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.con.transaction():
            yield

    def lock(self) -> None:
        self.execute(f"SELECT pg_advisory_xact_lock({_LOCK})")

    def stage(self, name: str, frame: pd.DataFrame) -> None:
        table = "records" if name == "stage_records" else "scores"
        cols = ", ".join(frame.columns)
        self.execute(f"CREATE TEMP TABLE {name} ON COMMIT DROP AS "
                     f"SELECT {cols} FROM {table} WITH NO DATA")
        with self.con.cursor() as cur, cur.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
            for row in _rows(frame):
                copy.write_row(row)

    def unstage(self, name: str) -> None:
        """Temporary tables are dropped at commit."""

    def size_bytes(self) -> int:
        rows = self.execute("SELECT pg_total_relation_size('records') + "
                            "pg_total_relation_size('scores') + pg_total_relation_size('meta')")
        return int(rows[0][0])

    def close(self) -> None:
        self.con.close()


class NormStore:
    """An open norm store; use :func:`open_store` (a context manager) to get one.

    Attributes
    ----------
    target : str
        Where it is (a DuckDB path or a PostgreSQL URL).
    backend : {'duckdb', 'postgresql'}
    version : int
        The schema version after opening.
    store_id : str
        A random id of this store (names its key file).
    created_key : Path or None
        The key file written when this store was made now, else None.
    salt_location : {'key', 'store'}
        Where the salt is: outside the store (``$ASSESS_NORMS_SALT`` or :func:`key_file`) or
        inside it.
    """

    def __init__(self, db: _Duck | _Postgres, target: str, read_only: bool,
                 upto: int = SCHEMA_VERSION, salt_in_store: bool = False) -> None:
        self._db = db
        self.target = target
        self.backend = db.backend
        self.created_key: Path | None = None
        self.version = self._migrate(read_only, upto, salt_in_store)
        self.store_id = self._meta("store_id")
        self.salt_location = self._meta("salt_location") or "store"
        if salt_in_store and self.salt_location != "store":
            raise AssessmentError(
                f"{describe_target(target)}: keeps its salt outside the store (in "
                f"{key_file(self.store_id)} or ${_SALT_ENV}); keeping it inside is chosen when "
                "a store is made, or with `assess salt --into-store`")
        self._salt = ""

    # ------------------------------------------------------------------ salt
    @property
    def salt(self) -> str:
        """The salt of this store's organisation hashes.

        Raises
        ------
        AssessmentError
            When the salt is kept outside the store and neither ``$ASSESS_NORMS_SALT`` nor
            the key file holds it, or holds another store's salt.
        """
        if self.salt_location == "store" or self.version < 3:
            return self._meta("salt")
        if not self._salt:
            self._salt = self._find_salt()
        return self._salt

    def _find_salt(self) -> str:
        where = describe_target(self.target)
        path = key_file(self.store_id)
        salt, source = _env_salt(), f"${_SALT_ENV}"
        if not salt:
            source = str(path)
            try:
                salt = path.read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                raise AssessmentError(
                    f"{where}: this norm store keeps its salt outside the database and it is "
                    f"not here: put the key file of store {self.store_id} at {path}, or its "
                    f"salt in ${_SALT_ENV} (ask whoever made the store; without the salt names "
                    "cannot be stored or forgotten, `assess norms` works without)") from None
            except OSError as exc:
                raise AssessmentError(f"{path}: cannot read the key file: {exc}") from exc
        if salt_check(salt) != self._meta("salt_check"):
            raise AssessmentError(
                f"{where}: the salt in {source} is not this store's (store {self.store_id}); "
                "storing with it would give the same organisations other hashes")
        return salt

    def move_salt(self, into_store: bool) -> Path | None:
        """Keep the salt inside the store or move it out to the key file.

        Parameters
        ----------
        into_store : bool
            True: inside (a single user's DuckDB file only); False: out, into
            :func:`key_file` (unless ``$ASSESS_NORMS_SALT`` holds it).

        Returns
        -------
        Path or None
            The key file written, if any.
        """
        if into_store and self.backend != "duckdb":
            raise AssessmentError(f"{describe_target(self.target)}: a shared PostgreSQL store "
                                  "keeps its salt outside the database")
        salt = self.salt
        written = None
        with self._db.transaction():
            self._db.lock()
            self._db.execute("DELETE FROM meta WHERE key IN ('salt', 'salt_location')")
            if into_store:
                self._db.execute("INSERT INTO meta VALUES (?, ?)", ["salt", salt])
            elif _env_salt() != salt:
                written = key_file(self.store_id)
                _write_key(written, salt)
            self._db.execute("INSERT INTO meta VALUES (?, ?)",
                             ["salt_location", "store" if into_store else "key"])
        if not into_store:  # rewrite: no freed page or old row version keeps the salt
            if self.backend == "postgresql":
                self._db.execute("VACUUM FULL meta")
            else:
                self._db.rewrite()
        self.salt_location, self._salt = ("store" if into_store else "key"), salt
        return written

    def salt_advice(self) -> str:
        """Return a line of advice when the salt sits in a store it should not be in, else ''."""
        if self.salt_location != "store" or self.version < 3:
            return ""
        if self.backend == "postgresql" or self._meta("salt_origin") == "older version":
            return (f"{describe_target(self.target)} keeps its salt inside the database, so "
                    "anyone who can read it can test names against the hashes; "
                    "`assess salt --out-of-store` moves it to a key file")
        return ""

    # ------------------------------------------------------------------ schema
    def _current(self) -> int:
        self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        rows = self._db.execute("SELECT max(version) FROM schema_version")
        return int(rows[0][0] or 0) if rows else 0

    def _migrate(self, read_only: bool, upto: int, salt_in_store: bool = False) -> int:
        if read_only:
            rows = self._db.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                ["schema_version"])
            have = (int(self._db.execute("SELECT max(version) FROM schema_version")[0][0] or 0)
                    if rows[0][0] else 0)
            if have != SCHEMA_VERSION:
                raise AssessmentError(
                    f"{describe_target(self.target)}: norm store schema {have}, this version "
                    f"reads {SCHEMA_VERSION}; open it once with `assess norms` to upgrade it")
            return have
        with self._db.transaction():
            self._db.lock()
            have = self._current()
            if have > SCHEMA_VERSION:
                raise AssessmentError(
                    f"{describe_target(self.target)}: made by a newer version of this program "
                    f"(schema {have}, this one knows {SCHEMA_VERSION})")
            for version in range(have + 1, upto + 1):
                for statement in MIGRATIONS[version - 1]:
                    if isinstance(statement, dict):  # for one backend only
                        statement = statement.get(self.backend, "")
                    if statement:
                        self._db.execute(statement)
                self._db.execute("DELETE FROM schema_version")
                self._db.execute("INSERT INTO schema_version VALUES (?)", [version])
            if have == 0:
                self._db.execute("INSERT INTO meta VALUES (?, ?)", ["generation", "0"])
                if upto < 3:  # the first schemas kept the salt in the store
                    self._db.execute("INSERT INTO meta VALUES (?, ?)",
                                     ["salt", secrets.token_hex(16)])
            if have < 3 <= upto:
                self._salt_v3(salt_in_store)
        return max(have, upto)

    def _salt_v3(self, salt_in_store: bool) -> None:
        """Write schema 3's meta: a store id and where the salt is (old stores: inside)."""
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        store_id = secrets.token_hex(8)
        self._db.execute("INSERT INTO meta VALUES (?, ?)", ["store_id", store_id])
        if "salt" in meta:  # made by an older version: keeps working as it was
            location, salt = "store", meta["salt"]
            self._db.execute("INSERT INTO meta VALUES (?, ?)", ["salt_origin", "older version"])
        elif salt_in_store:
            if self.backend != "duckdb":
                raise AssessmentError(f"{describe_target(self.target)}: a shared PostgreSQL "
                                      "store keeps its salt outside the database")
            location, salt = "store", secrets.token_hex(16)
            self._db.execute("INSERT INTO meta VALUES (?, ?)", ["salt", salt])
        else:
            location, salt = "key", _env_salt()
            if not salt:
                salt = secrets.token_hex(16)
                self.created_key = key_file(store_id)
                _write_key(self.created_key, salt)
        self._db.execute("INSERT INTO meta VALUES (?, ?)", ["salt_location", location])
        self._db.execute("INSERT INTO meta VALUES (?, ?)", ["salt_check", salt_check(salt)])

    def _meta(self, key: str) -> str:
        rows = self._db.execute("SELECT value FROM meta WHERE key = ?", [key])
        return str(rows[0][0]) if rows else ""

    def _bump(self) -> None:
        self._db.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                         "WHERE key = 'generation'")

    def state(self) -> str:
        """Return a short fingerprint that changes whenever the records change."""
        text = f"{self.backend}\x00{self.target}\x00{self._meta('generation')}\x00{self.store_id}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def size_bytes(self) -> int:
        """Return the size on disk of the store's tables (DuckDB: the file)."""
        return self._db.size_bytes()

    # ------------------------------------------------------------------ writing
    def store(self, records: Records) -> StoreResult:
        """Store records in one transaction: new ones added, changed ones replaced.

        Returns
        -------
        StoreResult
            Counts of new, replaced and unchanged records.
        """
        heads = records.records
        if heads.empty:
            return StoreResult(0, 0, 0)
        cols = [c for c in RECORD_COLUMNS if c in heads]
        heads = heads.drop_duplicates("record_id")
        with self._db.transaction():
            self._db.lock()
            self._db.stage("stage_records", heads[cols])
            try:
                changed = [r[0] for r in self._db.execute(
                    "SELECT r.record_id FROM records r JOIN stage_records s "
                    "ON r.record_id = s.record_id WHERE r.rows_hash <> s.rows_hash")]
                for ids in _chunks(changed):
                    marks = ", ".join("?" * len(ids))
                    self._db.execute(f"DELETE FROM scores WHERE record_id IN ({marks})", ids)
                    self._db.execute(f"DELETE FROM records WHERE record_id IN ({marks})", ids)
                names = ", ".join(cols)
                inserted = {r[0] for r in self._db.execute(
                    f"INSERT INTO records ({names}) SELECT {names} FROM stage_records s "
                    "WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.record_id = s.record_id) "
                    "RETURNING record_id")}
            finally:
                self._db.unstage("stage_records")
            scores = records.scores[records.scores["record_id"].isin(inserted)].drop_duplicates(
                ["record_id", "level", "interface", "dimension"])
            if not scores.empty:
                scols = ", ".join(SCORE_COLUMNS)
                self._db.stage("stage_scores", scores[SCORE_COLUMNS])
                try:
                    self._db.execute(f"INSERT INTO scores ({scols}) SELECT {scols} "
                                     "FROM stage_scores")
                finally:
                    self._db.unstage("stage_scores")
            if inserted:
                self._bump()
        return StoreResult(new=len(inserted) - len(changed), replaced=len(changed),
                           unchanged=len(heads) - len(inserted))

    def forget(self, *, label: str = "", organisation: str = "") -> tuple[int, int]:
        """Remove every record with this label or of this organisation key.

        Returns
        -------
        tuple of int
            Records removed and the number of organisations they belonged to.
        """
        if not label and not organisation:
            raise ValueError("forget needs a label or an organisation")
        where, params = ("label = ?", [label]) if label else ("organisation = ?", [organisation])
        with self._db.transaction():
            self._db.lock()
            found = self._db.execute(
                f"SELECT count(*), count(DISTINCT organisation) FROM records WHERE {where}",
                params)[0]
            self._db.execute(f"DELETE FROM scores WHERE record_id IN "
                             f"(SELECT record_id FROM records WHERE {where})", params)
            self._db.execute(f"DELETE FROM records WHERE {where}", params)
            if found[0]:
                self._bump()
        return int(found[0]), int(found[1])

    # ------------------------------------------------------------------ reading
    def records(self) -> pd.DataFrame:
        """Return every record (one row per organisation × wave × instrument)."""
        out = self._db.frame(f"SELECT {', '.join(RECORD_COLUMNS)} FROM records "
                             "ORDER BY organisation, wave, instrument")
        return typed(out)

    def scores(self, *, instrument: str = "", sector: str = "", size: str = "",
               label: str = "", latest: bool = True,
               columns: Sequence[str] | None = None, ordered: bool = True) -> pd.DataFrame:
        """Return stored score rows with their record's organisation, wave, sector and size.

        Parameters
        ----------
        instrument, sector, size, label : str
            Only records with this value (empty: all).
        latest : bool, default True
            Only each organisation's latest record per instrument (highest wave, then the
            latest stored): a norm group counts every organisation once.
        columns : sequence of str, optional
            Only these columns (a norm table needs seven of the 25: reading fewer is faster).
        ordered : bool, default True
            Sorted by organisation, wave, instrument and cell; a norm table does not need
            that order, and sorting a million rows takes longer than reading them.

        Returns
        -------
        DataFrame
            Columns ``organisation``, ``wave``, ``instrument``, ``instrument_version``,
            ``sector``, ``size``, ``label``, ``stored_on``, ``named`` and
            :data:`~assessment.norms.records.SCORE_COLUMNS`.
        """
        where, params = [], []
        for col, value in (("instrument", instrument), ("sector", sector), ("size", size),
                           ("label", label)):
            if value:
                where.append(f"{col} = ?")
                params.append(value)
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        chosen = (f"SELECT record_id FROM (SELECT record_id, ROW_NUMBER() OVER (PARTITION BY "
                  f"organisation, instrument ORDER BY wave DESC, stored_on DESC, record_id) AS k "
                  f"FROM records {cond}) t WHERE k = 1" if latest
                  else f"SELECT record_id FROM records {cond}")
        wanted = list(columns) if columns else [*_HEAD, *SCORE_COLUMNS]
        unknown = set(wanted) - set(_HEAD) - set(SCORE_COLUMNS)
        if unknown:
            raise ValueError(f"unknown columns: {sorted(unknown)}")
        picked = ", ".join(f"r.{c}" if c in _HEAD else f"s.{c}" for c in wanted)
        out = self._db.frame(
            f"SELECT {picked} FROM records r JOIN scores s ON r.record_id = s.record_id "
            f"WHERE r.record_id IN ({chosen}) "
            + ("ORDER BY r.organisation, r.wave, r.instrument, s.level, s.interface, s.dimension"
               if ordered else ""), params)
        return typed(out)

    def text_values(self) -> dict[tuple[str, str], set[str]]:
        """Return every distinct value of every text column, per (table, column).

        For checking that nothing personal is stored (tests, audits).
        """
        out = {}
        columns = self._db.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name IN ('meta', 'records', 'scores', 'schema_version') "
            "AND data_type IN ('text', 'VARCHAR', 'character varying')")
        for table, column in columns:
            values = self._db.execute(f"SELECT DISTINCT {column} FROM {table}")
            out[(table, column)] = {str(v[0]) for v in values if v[0] is not None}
        return out

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for k in range(0, len(items), size):
        yield items[k:k + size]


@contextlib.contextmanager
def open_store(target: str | Path | None = None, *, read_only: bool = False,
               upto: int = SCHEMA_VERSION, salt_in_store: bool = False) -> Iterator[NormStore]:
    """Open (and create or upgrade) a norm store; close it on leaving the ``with`` block.

    Parameters
    ----------
    target : str or Path, optional
        A DuckDB file or a ``postgresql://`` URL; default :func:`default_target`.
    read_only : bool
        Only read (DuckDB opens the file shared, so that many report kernels can read it at
        once); the schema must be up to date.
    upto : int
        Apply migrations up to this version only (to make an old store, for tests).
    salt_in_store : bool
        Make a new DuckDB store that keeps its salt inside (one user; refused for PostgreSQL
        and for a store that keeps it outside already).

    Raises
    ------
    AssessmentError
        When the store cannot be opened or is newer than this program.
    """
    target = str(target or default_target())
    if salt_in_store and is_postgresql(target):
        raise AssessmentError(f"{describe_target(target)}: a shared PostgreSQL store keeps its "
                              "salt outside the database (--salt-in-store is for a DuckDB file)")
    db = _Postgres(target) if is_postgresql(target) else _Duck(target, read_only)
    try:
        yield NormStore(db, target, read_only and not is_postgresql(target), upto,
                        salt_in_store)
    finally:
        db.close()
