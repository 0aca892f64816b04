"""Order notifications: e-mail, an invoice from the legacy ERP and a background worker queue."""

import queue
import smtplib
import threading
from email.message import EmailMessage

import legacy_erp
from fastapi import APIRouter

router = APIRouter()
outbox: queue.Queue = queue.Queue()
outbox_lock = threading.Lock()


@router.post("/orders/{order_id}/confirm")
async def send_confirmation(order_id: int, email: str):
    message = EmailMessage()
    message["To"] = email
    message["Subject"] = f"Order {order_id} confirmed"
    with smtplib.SMTP("mail.example.com") as smtp:
        smtp.send_message(message)
    return {"sent": True}


@router.post("/orders/{order_id}/invoice")
async def invoice(order_id: int):
    # Configured as blocking in pyproject.toml ([tool.asyncdoc] blocking).
    return legacy_erp.fetch_invoice(order_id)


@router.post("/outbox/flush")
async def flush_outbox():
    with outbox_lock:
        pending = []
    while not outbox.empty():
        pending.append(outbox.get())
    return {"flushed": len(pending)}


@router.post("/outbox/wait")
async def wait_for_slot():
    outbox_lock.acquire()
    try:
        outbox.put("ping")
    finally:
        outbox_lock.release()
    return {"queued": True}
