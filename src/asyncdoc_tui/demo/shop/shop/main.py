"""HTTP routes of the demo shop."""

import asyncio
import json
import subprocess
import time

import requests
from fastapi import Depends, FastAPI

from shop.db import engine, get_session

app = FastAPI()


@app.get("/health")
async def health():
    time.sleep(0.1)
    return {"ok": True}


@app.get("/rates")
async def rates():
    response = requests.get("https://rates.example.com/eur", timeout=5)
    return response.json()


@app.get("/report")
async def report():
    with open("report.json") as handle:
        data = json.load(handle)
    return data


@app.post("/backup")
async def backup():
    subprocess.run(["pg_dump", "shop"], check=True)
    return {"started": True}


@app.get("/tables")
async def tables():
    with engine.connect() as connection:
        return list(connection.execute("select 1"))


@app.get("/orders/{order_id}")
def order(order_id: int, session=Depends(get_session)):
    # A sync route runs in FastAPI's thread pool: blocking here is fine.
    time.sleep(0.01)
    return {"id": order_id}


@app.get("/pause")
async def pause():
    await asyncio.to_thread(time.sleep, 1)
    return {"paused": True}


async def confirm() -> str:
    return input("Ship it? ")
