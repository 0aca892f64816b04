import httpx


async def fetch_rates(base: str):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"https://rates.example.com/{base}", params={"n": 1}, follow_redirects=False, timeout=httpx.Timeout(10, connect=3))
    return response.json()


async def submit(order: dict) -> int:
    async with httpx.AsyncClient() as client:
        reply = await client.post("https://shop.example.com/orders", data={"id": order["id"]}, timeout=5, follow_redirects=True)
    return reply.status_code


async def upload(text: str) -> None:
    async with httpx.AsyncClient() as client:
        await client.put("https://files.example.com/a.txt", content="raw body", headers={"x": "1"}, timeout=5, follow_redirects=True)
