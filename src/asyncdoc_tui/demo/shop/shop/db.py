"""Database access with a synchronous SQLAlchemy engine."""

from sqlalchemy import create_engine, inspect
from sqlalchemy.orm import Session

from shop.settings import DATABASE_URL


def make_engine():
    return create_engine(DATABASE_URL)


engine = make_engine()


def table_names() -> list[str]:
    return inspect(engine).get_table_names()


def get_session() -> Session:
    return Session(engine)
