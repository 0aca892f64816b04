import requests


async def fetch_rates(base: str):
    response = requests.get(f"https://rates.example.com/{base}", params={"n": 1}, allow_redirects=False, timeout=(3, 10))
    return response.json()


async def submit(order: dict) -> int:
    reply = requests.post("https://shop.example.com/orders", data={"id": order["id"]}, timeout=5)
    return reply.status_code


async def upload(text: str) -> None:
    requests.put("https://files.example.com/a.txt", data="raw body", headers={"x": "1"}, timeout=5)
