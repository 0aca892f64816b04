"""Orders service."""

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from time import sleep as pause

from fastapi import Depends, FastAPI, HTTPException

DATA = Path(__file__).with_name("orders.json")
app = FastAPI()


async def load_orders() -> dict:
    with open(DATA, encoding="utf-8") as handle:
        return json.load(handle)


@app.get("/orders/{order_id}")
async def get_order(order_id: str, orders: dict = Depends(load_orders)):
    if order_id not in orders:
        raise HTTPException(status_code=404, detail="no such order")
    return orders[order_id]


@app.get("/health")
async def health():
    await asyncio.sleep(0)
    time.sleep(0.01)
    return {"ok": True}


@app.get("/slow")
async def slow(seconds: float = 0.01):
    pause(seconds)
    return {"slept": seconds}


@app.get("/version")
async def version():
    await asyncio.sleep(0)
    result = subprocess.run([sys.executable, "-c", "print(42)"], capture_output=True, text=True, check=True)
    return {"version": result.stdout.strip()}


@app.get("/count")
async def count():
    with open(DATA, encoding="utf-8") as handle:
        return {"count": len(json.load(handle))}
